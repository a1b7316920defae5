using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace InfraTerra.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DashboardCoveringIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Tips_Dashboard",
                table: "Tips",
                columns: new[] { "SubmittedAtUtc", "Desk", "Status", "NoticeId", "SourceGrade", "InformationGrade", "FirstActionAtUtc", "FeedbackGivenAtUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tips_Dashboard",
                table: "Tips");
        }
    }
}
