using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace InfraTerra.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AttachmentLocationAndReplies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "MessageId",
                table: "TipAttachments",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "SealedLocation",
                table: "TipAttachments",
                type: "bytea",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_TipAttachments_MessageId",
                table: "TipAttachments",
                column: "MessageId");

            migrationBuilder.AddForeignKey(
                name: "FK_TipAttachments_TipMessages_MessageId",
                table: "TipAttachments",
                column: "MessageId",
                principalTable: "TipMessages",
                principalColumn: "Id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_TipAttachments_TipMessages_MessageId",
                table: "TipAttachments");

            migrationBuilder.DropIndex(
                name: "IX_TipAttachments_MessageId",
                table: "TipAttachments");

            migrationBuilder.DropColumn(
                name: "MessageId",
                table: "TipAttachments");

            migrationBuilder.DropColumn(
                name: "SealedLocation",
                table: "TipAttachments");
        }
    }
}
