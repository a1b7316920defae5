namespace InfraTerra.Web.Features.Triage.Notices.Manage;

/// <summary>What the shared notice fields show: the form's values and the operations to choose from.</summary>
public sealed record NoticeFieldsView(NoticeForm.InputModel Input, IReadOnlyList<NoticeFieldsView.OperationChoice> Operations)
{
    public sealed record OperationChoice(int Id, string Name);
}
