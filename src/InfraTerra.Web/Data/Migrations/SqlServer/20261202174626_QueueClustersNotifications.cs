using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace InfraTerra.Web.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class QueueClustersNotifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tips_AssignedToId",
                table: "Tips");

            migrationBuilder.DropIndex(
                name: "IX_Tips_NoticeId",
                table: "Tips");

            migrationBuilder.AddColumn<Guid>(
                name: "ClusterId",
                table: "Tips",
                type: "uniqueidentifier",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "FeedbackGivenAtUtc",
                table: "Tips",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "PriorityReasons",
                table: "Tips",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "PriorityScore",
                table: "Tips",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "TipsterSignals",
                table: "Tips",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "EmailOutbox",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    ToAddress = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    Subject = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Body = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    NextAttemptAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    Attempts = table.Column<int>(type: "int", nullable: false),
                    SentAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    ClaimedUntilUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    LastError = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EmailOutbox", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "OfficerNotifications",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    OfficerId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    Kind = table.Column<int>(type: "int", nullable: false),
                    TipId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    ReadAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    DedupKey = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OfficerNotifications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OfficerNotifications_AspNetUsers_OfficerId",
                        column: x => x.OfficerId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_OfficerNotifications_Tips_TipId",
                        column: x => x.TipId,
                        principalTable: "Tips",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SavedQueueViews",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    OfficerId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    Name = table.Column<string>(type: "nvarchar(60)", maxLength: 60, nullable: false),
                    Query = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SavedQueueViews", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SavedQueueViews_AspNetUsers_OfficerId",
                        column: x => x.OfficerId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TipClusters",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    NoticeId = table.Column<int>(type: "int", nullable: true),
                    TipCount = table.Column<int>(type: "int", nullable: false),
                    CreatedById = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TipClusters", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TipClusters_Notices_NoticeId",
                        column: x => x.NoticeId,
                        principalTable: "Notices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Tips_AssignedToId_PriorityScore_SubmittedAtUtc_Id",
                table: "Tips",
                columns: new[] { "AssignedToId", "PriorityScore", "SubmittedAtUtc", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Tips_ClusterId",
                table: "Tips",
                column: "ClusterId");

            migrationBuilder.CreateIndex(
                name: "IX_Tips_Desk_PriorityScore_SubmittedAtUtc_Id",
                table: "Tips",
                columns: new[] { "Desk", "PriorityScore", "SubmittedAtUtc", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Tips_NoticeId_SubmittedAtUtc",
                table: "Tips",
                columns: new[] { "NoticeId", "SubmittedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Tips_PriorityScore_SubmittedAtUtc_Id",
                table: "Tips",
                columns: new[] { "PriorityScore", "SubmittedAtUtc", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_EmailOutbox_SentAtUtc_NextAttemptAtUtc",
                table: "EmailOutbox",
                columns: new[] { "SentAtUtc", "NextAttemptAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_OfficerNotifications_DedupKey",
                table: "OfficerNotifications",
                column: "DedupKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OfficerNotifications_OfficerId_ReadAtUtc",
                table: "OfficerNotifications",
                columns: new[] { "OfficerId", "ReadAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_OfficerNotifications_TipId",
                table: "OfficerNotifications",
                column: "TipId");

            migrationBuilder.CreateIndex(
                name: "IX_SavedQueueViews_OfficerId_Name",
                table: "SavedQueueViews",
                columns: new[] { "OfficerId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TipClusters_NoticeId",
                table: "TipClusters",
                column: "NoticeId");

            migrationBuilder.AddForeignKey(
                name: "FK_Tips_TipClusters_ClusterId",
                table: "Tips",
                column: "ClusterId",
                principalTable: "TipClusters",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Tips_TipClusters_ClusterId",
                table: "Tips");

            migrationBuilder.DropTable(
                name: "EmailOutbox");

            migrationBuilder.DropTable(
                name: "OfficerNotifications");

            migrationBuilder.DropTable(
                name: "SavedQueueViews");

            migrationBuilder.DropTable(
                name: "TipClusters");

            migrationBuilder.DropIndex(
                name: "IX_Tips_AssignedToId_PriorityScore_SubmittedAtUtc_Id",
                table: "Tips");

            migrationBuilder.DropIndex(
                name: "IX_Tips_ClusterId",
                table: "Tips");

            migrationBuilder.DropIndex(
                name: "IX_Tips_Desk_PriorityScore_SubmittedAtUtc_Id",
                table: "Tips");

            migrationBuilder.DropIndex(
                name: "IX_Tips_NoticeId_SubmittedAtUtc",
                table: "Tips");

            migrationBuilder.DropIndex(
                name: "IX_Tips_PriorityScore_SubmittedAtUtc_Id",
                table: "Tips");

            migrationBuilder.DropColumn(
                name: "ClusterId",
                table: "Tips");

            migrationBuilder.DropColumn(
                name: "FeedbackGivenAtUtc",
                table: "Tips");

            migrationBuilder.DropColumn(
                name: "PriorityReasons",
                table: "Tips");

            migrationBuilder.DropColumn(
                name: "PriorityScore",
                table: "Tips");

            migrationBuilder.DropColumn(
                name: "TipsterSignals",
                table: "Tips");

            migrationBuilder.CreateIndex(
                name: "IX_Tips_AssignedToId",
                table: "Tips",
                column: "AssignedToId");

            migrationBuilder.CreateIndex(
                name: "IX_Tips_NoticeId",
                table: "Tips",
                column: "NoticeId");
        }
    }
}
