using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace InfraTerra.Web.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class PositionsAndBoundSeals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_TipMessages_TipId_SentAtUtc",
                table: "TipMessages");

            migrationBuilder.DropIndex(
                name: "IX_TipAttachments_TipId",
                table: "TipAttachments");

            migrationBuilder.AddColumn<int>(
                name: "Position",
                table: "TipMessages",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "Position",
                table: "TipAttachments",
                type: "int",
                nullable: false,
                defaultValue: 0);

            // Rows written before positions existed are numbered in their old order, by time, so the unique indexes hold.
            migrationBuilder.Sql(@"UPDATE [TipMessages] SET [Position] = (SELECT COUNT(*) FROM [TipMessages] AS e WHERE e.[TipId] = [TipMessages].[TipId] AND (e.[SentAtUtc] < [TipMessages].[SentAtUtc] OR (e.[SentAtUtc] = [TipMessages].[SentAtUtc] AND e.[Id] <= [TipMessages].[Id])));");

            migrationBuilder.Sql(@"UPDATE [TipAttachments] SET [Position] = (SELECT COUNT(*) FROM [TipAttachments] AS e WHERE e.[TipId] = [TipAttachments].[TipId] AND (e.[AddedAtUtc] < [TipAttachments].[AddedAtUtc] OR (e.[AddedAtUtc] = [TipAttachments].[AddedAtUtc] AND e.[Id] <= [TipAttachments].[Id])));");

            // Then tipster-side times go to the hour, like every new one (ADR 0005); officers' stay exact.
            migrationBuilder.Sql(@"UPDATE [Tips] SET [SubmittedAtUtc] = DATEADD(hour, DATEDIFF(hour, 0, [SubmittedAtUtc]), 0);");
            migrationBuilder.Sql(@"UPDATE [TipMessages] SET [SentAtUtc] = DATEADD(hour, DATEDIFF(hour, 0, [SentAtUtc]), 0) WHERE [Author] = 1;");
            migrationBuilder.Sql(@"UPDATE [TipAttachments] SET [AddedAtUtc] = DATEADD(hour, DATEDIFF(hour, 0, [AddedAtUtc]), 0);");

            migrationBuilder.CreateIndex(
                name: "IX_TipMessages_TipId_Position",
                table: "TipMessages",
                columns: new[] { "TipId", "Position" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TipAttachments_TipId_Position",
                table: "TipAttachments",
                columns: new[] { "TipId", "Position" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_TipMessages_TipId_Position",
                table: "TipMessages");

            migrationBuilder.DropIndex(
                name: "IX_TipAttachments_TipId_Position",
                table: "TipAttachments");

            migrationBuilder.DropColumn(
                name: "Position",
                table: "TipMessages");

            migrationBuilder.DropColumn(
                name: "Position",
                table: "TipAttachments");

            migrationBuilder.CreateIndex(
                name: "IX_TipMessages_TipId_SentAtUtc",
                table: "TipMessages",
                columns: new[] { "TipId", "SentAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_TipAttachments_TipId",
                table: "TipAttachments",
                column: "TipId");
        }
    }
}
