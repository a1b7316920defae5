using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace InfraTerra.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class QueueNoticeAndAgeIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Tips_NoticeId_PriorityScore_SubmittedAtUtc_Id",
                table: "Tips",
                columns: new[] { "NoticeId", "PriorityScore", "SubmittedAtUtc", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Tips_SubmittedAtUtc",
                table: "Tips",
                column: "SubmittedAtUtc");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tips_NoticeId_PriorityScore_SubmittedAtUtc_Id",
                table: "Tips");

            migrationBuilder.DropIndex(
                name: "IX_Tips_SubmittedAtUtc",
                table: "Tips");
        }
    }
}
