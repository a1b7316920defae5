using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace InfraTerra.Web.Features.Account;

public sealed class LogoutModel(SignInManager<OfficerUser> signIn, AuditLog audit) : PageModel
{
    public IActionResult OnGet() => RedirectToPage("/Account/Login");

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await signIn.UserManager.GetUserAsync(User);
        await signIn.SignOutAsync();
        if (user is not null)
        {
            await audit.RecordAsync(new AuditEntry(new AuditActor(user.Id, user.Email ?? user.Id), AuditActions.SignedOut));
        }

        return LocalRedirect("/");
    }
}
