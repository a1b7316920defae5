using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace InfraTerra.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OfficerTriage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "AnswerUnread",
                table: "Tips",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "AssignedToId",
                table: "Tips",
                type: "character varying(450)",
                maxLength: 450,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "FirstActionAtUtc",
                table: "Tips",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "InformationGrade",
                table: "Tips",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Revision",
                table: "Tips",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "SourceGrade",
                table: "Tips",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ThreatToLife",
                table: "Tips",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "OfficerId",
                table: "TipMessages",
                type: "character varying(450)",
                maxLength: 450,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "DisabledAtUtc",
                table: "AspNetUsers",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AuditRecords",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "bigint", nullable: false),
                    AtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ActorId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    ActorName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Action = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    TipId = table.Column<Guid>(type: "uuid", nullable: true),
                    Subject = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    Detail = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Mac = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditRecords", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "OfficerDesks",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    Desk = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OfficerDesks", x => new { x.UserId, x.Desk });
                    table.ForeignKey(
                        name: "FK_OfficerDesks_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TipDeskShares",
                columns: table => new
                {
                    TipId = table.Column<Guid>(type: "uuid", nullable: false),
                    Desk = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    SharedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TipDeskShares", x => new { x.TipId, x.Desk });
                    table.ForeignKey(
                        name: "FK_TipDeskShares_Tips_TipId",
                        column: x => x.TipId,
                        principalTable: "Tips",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TipNotes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TipId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    AuthorId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    SealedBody = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TipNotes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TipNotes_Tips_TipId",
                        column: x => x.TipId,
                        principalTable: "Tips",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Tips_AssignedToId",
                table: "Tips",
                column: "AssignedToId");

            migrationBuilder.CreateIndex(
                name: "IX_AuditRecords_ActorId_Sequence",
                table: "AuditRecords",
                columns: new[] { "ActorId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditRecords_AtUtc",
                table: "AuditRecords",
                column: "AtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_AuditRecords_TipId_Sequence",
                table: "AuditRecords",
                columns: new[] { "TipId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_TipDeskShares_Desk",
                table: "TipDeskShares",
                column: "Desk");

            migrationBuilder.CreateIndex(
                name: "IX_TipNotes_TipId_CreatedAtUtc",
                table: "TipNotes",
                columns: new[] { "TipId", "CreatedAtUtc" });

            migrationBuilder.AddForeignKey(
                name: "FK_Tips_AspNetUsers_AssignedToId",
                table: "Tips",
                column: "AssignedToId",
                principalTable: "AspNetUsers",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Tips_AspNetUsers_AssignedToId",
                table: "Tips");

            migrationBuilder.DropTable(
                name: "AuditRecords");

            migrationBuilder.DropTable(
                name: "OfficerDesks");

            migrationBuilder.DropTable(
                name: "TipDeskShares");

            migrationBuilder.DropTable(
                name: "TipNotes");

            migrationBuilder.DropIndex(
                name: "IX_Tips_AssignedToId",
                table: "Tips");

            migrationBuilder.DropColumn(
                name: "AnswerUnread",
                table: "Tips");

            migrationBuilder.DropColumn(
                name: "AssignedToId",
                table: "Tips");

            migrationBuilder.DropColumn(
                name: "FirstActionAtUtc",
                table: "Tips");

            migrationBuilder.DropColumn(
                name: "InformationGrade",
                table: "Tips");

            migrationBuilder.DropColumn(
                name: "Revision",
                table: "Tips");

            migrationBuilder.DropColumn(
                name: "SourceGrade",
                table: "Tips");

            migrationBuilder.DropColumn(
                name: "ThreatToLife",
                table: "Tips");

            migrationBuilder.DropColumn(
                name: "OfficerId",
                table: "TipMessages");

            migrationBuilder.DropColumn(
                name: "DisabledAtUtc",
                table: "AspNetUsers");
        }
    }
}
