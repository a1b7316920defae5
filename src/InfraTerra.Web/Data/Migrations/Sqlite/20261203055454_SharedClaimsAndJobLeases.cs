using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace InfraTerra.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SharedClaimsAndJobLeases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CheckClaims",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Owner = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ExpiresAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CheckClaims", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "JobLeases",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Holder = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    LeasedUntilUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastStartedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastCompletedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastResult = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    RunCount = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_JobLeases", x => x.Name);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CheckClaims_ExpiresAtUtc",
                table: "CheckClaims",
                column: "ExpiresAtUtc");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CheckClaims");

            migrationBuilder.DropTable(
                name: "JobLeases");
        }
    }
}
