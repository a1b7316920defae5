using InfraTerra.Web.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace InfraTerra.Web.Infrastructure.Accounts;

/// <summary>
/// On every signed-in page: loads <see cref="CurrentOfficer"/> from the database, and signs out at
/// once a session whose account was disabled or removed (<see cref="OfficerSessions.FollowAccountChangesAsync"/>
/// does it before authorization; this is the last word for the page).
/// </summary>
public sealed class OfficerPageFilter(AppDbContext db) : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        if (http.User.Identity?.IsAuthenticated != true)
        {
            await next();
            return;
        }

        var officer = await CurrentOfficer.LoadAsync(db, http.User, http.RequestAborted);
        if (officer is null)
        {
            await http.SignOutAsync(IdentityConstants.ApplicationScheme);
            context.Result = new RedirectResult("/account/login");
            return;
        }

        officer.Attach(http);
        await next();
    }
}
