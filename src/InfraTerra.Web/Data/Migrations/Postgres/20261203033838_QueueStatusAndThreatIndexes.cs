using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace InfraTerra.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class QueueStatusAndThreatIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tips_Desk_Status_SubmittedAtUtc",
                table: "Tips");

            migrationBuilder.CreateIndex(
                name: "IX_Tips_Desk_Status_PriorityScore_SubmittedAtUtc_Id",
                table: "Tips",
                columns: new[] { "Desk", "Status", "PriorityScore", "SubmittedAtUtc", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Tips_Status_PriorityScore_SubmittedAtUtc_Id",
                table: "Tips",
                columns: new[] { "Status", "PriorityScore", "SubmittedAtUtc", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Tips_ThreatToLife_PriorityScore_SubmittedAtUtc_Id",
                table: "Tips",
                columns: new[] { "ThreatToLife", "PriorityScore", "SubmittedAtUtc", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tips_Desk_Status_PriorityScore_SubmittedAtUtc_Id",
                table: "Tips");

            migrationBuilder.DropIndex(
                name: "IX_Tips_Status_PriorityScore_SubmittedAtUtc_Id",
                table: "Tips");

            migrationBuilder.DropIndex(
                name: "IX_Tips_ThreatToLife_PriorityScore_SubmittedAtUtc_Id",
                table: "Tips");

            migrationBuilder.CreateIndex(
                name: "IX_Tips_Desk_Status_SubmittedAtUtc",
                table: "Tips",
                columns: new[] { "Desk", "Status", "SubmittedAtUtc" });
        }
    }
}
