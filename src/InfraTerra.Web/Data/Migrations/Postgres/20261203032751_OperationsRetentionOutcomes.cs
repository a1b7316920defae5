using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace InfraTerra.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OperationsRetentionOutcomes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ClosedBecause",
                table: "Tips",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "RetentionHeldAtUtc",
                table: "Tips",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RetentionHeldById",
                table: "Tips",
                type: "character varying(450)",
                maxLength: 450,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RetentionHoldReason",
                table: "Tips",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "StatusChangedAtUtc",
                table: "Tips",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            // Until now a status change kept no time. Retention counts from it, so a tip closed last week
            // must not look closed since its submission: a closing status takes its latest status change
            // from the audit log, or the time of this migration (warnings then come before any deletion).
            migrationBuilder.Sql(@"UPDATE ""Tips"" SET ""StatusChangedAtUtc"" = CASE WHEN ""Status"" IN (5, 6, 7) THEN COALESCE((SELECT MAX(a.""AtUtc"") FROM ""AuditRecords"" AS a WHERE a.""TipId"" = ""Tips"".""Id"" AND a.""Action"" = 'tip.status-changed'), now()) ELSE ""SubmittedAtUtc"" END;");

            migrationBuilder.AddColumn<int>(
                name: "Revision",
                table: "Notices",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "TipOutcomes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TipId = table.Column<Guid>(type: "uuid", nullable: true),
                    ClusterId = table.Column<Guid>(type: "uuid", nullable: true),
                    NoticeId = table.Column<int>(type: "integer", nullable: true),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    OccurredOn = table.Column<DateOnly>(type: "date", nullable: false),
                    RecordedById = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    RecordedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TipOutcomes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TipOutcomes_Notices_NoticeId",
                        column: x => x.NoticeId,
                        principalTable: "Notices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_TipOutcomes_TipClusters_ClusterId",
                        column: x => x.ClusterId,
                        principalTable: "TipClusters",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_TipOutcomes_Tips_TipId",
                        column: x => x.TipId,
                        principalTable: "Tips",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Tips_Status_StatusChangedAtUtc",
                table: "Tips",
                columns: new[] { "Status", "StatusChangedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_TipOutcomes_ClusterId",
                table: "TipOutcomes",
                column: "ClusterId");

            migrationBuilder.CreateIndex(
                name: "IX_TipOutcomes_NoticeId_OccurredOn",
                table: "TipOutcomes",
                columns: new[] { "NoticeId", "OccurredOn" });

            migrationBuilder.CreateIndex(
                name: "IX_TipOutcomes_OccurredOn",
                table: "TipOutcomes",
                column: "OccurredOn");

            migrationBuilder.CreateIndex(
                name: "IX_TipOutcomes_TipId",
                table: "TipOutcomes",
                column: "TipId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TipOutcomes");

            migrationBuilder.DropIndex(
                name: "IX_Tips_Status_StatusChangedAtUtc",
                table: "Tips");

            migrationBuilder.DropColumn(
                name: "ClosedBecause",
                table: "Tips");

            migrationBuilder.DropColumn(
                name: "RetentionHeldAtUtc",
                table: "Tips");

            migrationBuilder.DropColumn(
                name: "RetentionHeldById",
                table: "Tips");

            migrationBuilder.DropColumn(
                name: "RetentionHoldReason",
                table: "Tips");

            migrationBuilder.DropColumn(
                name: "StatusChangedAtUtc",
                table: "Tips");

            migrationBuilder.DropColumn(
                name: "Revision",
                table: "Notices");
        }
    }
}
