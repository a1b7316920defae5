using System.Net;
using System.Text;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Triage;

/// <summary>
/// Every officer route (found in the app's own endpoint list, so a page added later is covered
/// without editing this test) and every verb and page handler it has, against each kind of visitor
/// who must be kept out, and how.
/// </summary>
public sealed class AuthorizationMatrixTests(AuthorizationMatrixTests.App app) : IClassFixture<AuthorizationMatrixTests.App>
{
    [Fact]
    public void TheMatrix_CoversTheQueueTheTipViewAndAdmin()
    {
        var templates = app.Requests.Select(r => r.Template).ToHashSet();

        Assert.Contains("triage", templates);
        Assert.Contains(templates, t => t.StartsWith("triage/tips/{id", StringComparison.Ordinal));
        Assert.Contains(templates, t => t.StartsWith("admin", StringComparison.Ordinal));
        Assert.Contains(app.Requests, r => r.Method == HttpMethod.Post && r.Template.StartsWith("triage/tips/{id", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Anonymous_IsSentToSignIn_Everywhere()
    {
        var client = Clients.New(app);

        await ExpectAllAsync(app.Requests, client, token: null, (request, response) =>
            response.StatusCode == HttpStatusCode.Redirect
            && response.Headers.Location!.PathAndQuery().StartsWith("/account/login", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PasswordWithoutSecondFactor_IsSentToEnrolment_Everywhere()
    {
        var oneTime = await Officers.CreateAsync(app, "matrix-half@example.org", Roles.Supervisor);
        var client = Clients.New(app);
        await Officers.SubmitPasswordAsync(client, "matrix-half@example.org", oneTime);

        await ExpectAllAsync(app.Requests, client, token: null, (request, response) =>
            response.StatusCode == HttpStatusCode.Redirect
            && response.Headers.Location!.PathAndQuery() == "/account/setup-authenticator");
    }

    [Fact]
    public async Task AdministratorWithoutOfficerRole_IsForbidden_OnEveryTriageRoute()
    {
        var client = await app.SignedInAsync("matrix-admin@example.org", Roles.Administrator);

        await ExpectAllAsync(app.Requests.Where(r => r.Template.StartsWith("triage", StringComparison.Ordinal)), client, await TokenAsync(client, "/admin"),
            (request, response) => response.StatusCode == HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Officer_IsForbidden_OnEveryAdminRouteTheAuditSearchAndNoticeManagement()
    {
        var client = await app.SignedInAsync("matrix-officer@example.org", Roles.Officer, desk: "KE");
        var forbidden = app.Requests.Where(r =>
            r.Template.StartsWith("admin", StringComparison.Ordinal) || r.Template.StartsWith("triage/audit", StringComparison.Ordinal)
            || IsNoticeManagement(r.Template));
        Assert.Contains(forbidden, r => r.Template == "triage/notices/{reference}/edit" && r.Handler == "Status");

        await ExpectAllAsync(forbidden, client, await TokenAsync(client, "/triage"),
            (request, response) => response.StatusCode == HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task OfficerOfAnotherDesk_GetsNotFound_OnEveryRouteOfTheTip()
    {
        var client = await app.SignedInAsync("matrix-other-desk@example.org", Roles.Officer, desk: "KE");
        var ofTheTip = app.Requests.Where(r => r.Template.StartsWith("triage/tips/{id", StringComparison.Ordinal));

        await ExpectAllAsync(ofTheTip, client, await TokenAsync(client, "/triage"),
            (request, response) => response.StatusCode == HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task DisabledAccount_IsSignedOut_AtItsNextRequest_Everywhere()
    {
        foreach (var (template, index) in app.Requests.Select(r => r.Template).Distinct().Select((t, i) => (t, i)))
        {
            // One officer per route: the first refused request signs the session out for good.
            var email = $"matrix-disabled-{index}@example.org";
            var client = await app.SignedInAsync(email, Roles.Supervisor, desk: "BR", alsoAdministrator: true);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/triage")).StatusCode);
            await app.ScopedAsync(async db => await db.Users.Where(u => u.Email == email)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.DisabledAtUtc, DateTime.UtcNow)));

            var response = await client.GetAsync(app.Url(template));

            Assert.True(
                response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.PathAndQuery().StartsWith("/account/login", StringComparison.Ordinal),
                $"GET {template}: {(int)response.StatusCode} {response.Headers.Location}");
            Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/triage")).StatusCode);
        }
    }

    /// <summary>Supervisor-only: creating, editing, previewing notices and creating operations (officers may read a notice).</summary>
    private static bool IsNoticeManagement(string template) =>
        template is "triage/notices/new" or "triage/operations/new"
        || (template.StartsWith("triage/notices/{reference}/", StringComparison.Ordinal) && template != "triage/notices/{reference}");

    private async Task ExpectAllAsync(
        IEnumerable<OfficerRequest> requests, HttpClient client, string? token, Func<OfficerRequest, HttpResponseMessage, bool> expected)
    {
        var failures = new StringBuilder();
        foreach (var request in requests)
        {
            var message = new HttpRequestMessage(request.Method, app.Url(request.Template, request.Handler));
            if (request.Method == HttpMethod.Post)
            {
                var fields = new Dictionary<string, string>();
                if (token is not null)
                {
                    fields["__RequestVerificationToken"] = token;
                }

                message.Content = new FormUrlEncodedContent(fields);
            }

            var response = await client.SendAsync(message);
            if (!expected(request, response))
            {
                failures.AppendLine($"{request}: {(int)response.StatusCode} {response.Headers.Location}");
            }
        }

        Assert.True(failures.Length == 0, "Unexpected answers:\n" + failures);
    }

    /// <summary>Any form's antiforgery token of this session (the layout's sign-out form has one), so a refused POST is refused by access, not by a missing token.</summary>
    private static async Task<string> TokenAsync(HttpClient client, string path)
    {
        var page = await Html.ParseAsync(await client.GetAsync(path));
        return page.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? throw new InvalidOperationException($"{path} has no form with an antiforgery token.");
    }

    public sealed record OfficerRequest(HttpMethod Method, string Template, string? Handler)
    {
        public override string ToString() => $"{Method} {Template}{(Handler is null ? "" : "?handler=" + Handler)}";
    }

    public sealed class App : AppFactory, IAsyncLifetime
    {
        public IReadOnlyList<OfficerRequest> Requests { get; private set; } = [];

        /// <summary>A tip on the BR desk (its notice's first warrant is Brazil's), with a file, and a message.</summary>
        public Guid TipId { get; private set; }

        public async Task InitializeAsync()
        {
            var tipster = Clients.New(this);
            var (posted, _) = await TipForms.SubmitAsync(tipster, "/tips/new?notice=2014-90004", f => f["Input.Description"] = "Seen at the matrix sawmill.");
            await TipForms.ReceiptAsync(tipster, posted);
            TipId = await ScopedAsync(db => db.Tips.Where(t => t.Desk == "BR").Select(t => t.Id).FirstAsync());
            Requests = await DiscoverAsync();
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

        public async Task<HttpClient> SignedInAsync(string email, string role, string? desk = null, bool alsoAdministrator = false)
        {
            var enrolment = await Officers.EnrolAsync(this, email, role);
            await ScopedAsync(async db =>
            {
                var user = await db.Users.SingleAsync(u => u.Email == email);
                if (desk is not null)
                {
                    db.OfficerDesks.Add(new OfficerDesk { UserId = user.Id, Desk = desk });
                }

                if (alsoAdministrator)
                {
                    var adminRole = await db.Roles.SingleAsync(r => r.Name == Roles.Administrator);
                    db.UserRoles.Add(new() { UserId = user.Id, RoleId = adminRole.Id });
                }

                return await db.SaveChangesAsync();
            });
            return enrolment.Client;
        }

        public string Url(string template, string? handler = null)
        {
            var path = new StringBuilder();
            foreach (var segment in RoutePatternFactory.Parse(template).PathSegments)
            {
                var text = new StringBuilder();
                foreach (var part in segment.Parts)
                {
                    text.Append(part switch
                    {
                        RoutePatternLiteralPart literal => literal.Content,
                        RoutePatternSeparatorPart separator => separator.Content,
                        RoutePatternParameterPart { Name: "id" } => TipId.ToString(),
                        RoutePatternParameterPart { IsOptional: true } => "",
                        RoutePatternParameterPart => "1",
                        _ => "",
                    });
                }

                if (text.Length > 0)
                {
                    path.Append('/').Append(text);
                }
            }

            return handler is null ? path.ToString() : $"{path}?handler={handler}";
        }

        private async Task<IReadOnlyList<OfficerRequest>> DiscoverAsync()
        {
            var loader = Services.GetRequiredService<PageLoader>();
            var requests = new List<OfficerRequest>();
            foreach (var endpoint in Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
            {
                var template = endpoint.RoutePattern.RawText?.TrimStart('/') ?? "";
                if (!template.StartsWith("triage", StringComparison.Ordinal) && !template.StartsWith("admin", StringComparison.Ordinal))
                {
                    continue;
                }

                if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is { } page)
                {
                    var compiled = await loader.LoadAsync(page, endpoint.Metadata);
                    requests.Add(new(HttpMethod.Get, template, null));
                    requests.Add(new(HttpMethod.Post, template, null));
                    requests.AddRange(compiled.HandlerMethods
                        .Where(h => h.Name is not null)
                        .Select(h => new OfficerRequest(new HttpMethod(h.HttpMethod), template, h.Name)));
                }
                else
                {
                    var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"];
                    requests.AddRange(methods.Select(m => new OfficerRequest(new HttpMethod(m), template, null)));
                }
            }

            return requests.Distinct().ToList();
        }
    }
}
