using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using InfraTerra.Tests.Support;
using InfraTerra.Tests.Triage.Notices;
using InfraTerra.Web.Domain;

namespace InfraTerra.Tests.Operations;

/// <summary>
/// Two app nodes on one PostgreSQL database and one Redis, as the production compose file runs
/// them, started by its twin (tools/twin-cluster.sh, once for the class): what one node did, the
/// other knows. Each test speaks to the nodes directly, as the proxy would.
/// </summary>
public sealed partial class TwoNodesTests(TwoNodesTests.Twin twin) : IClassFixture<TwoNodesTests.Twin>
{
    public sealed class Twin : IAsyncLifetime
    {
        public TwinCluster Cluster { get; } = new();

        public Task InitializeAsync() => Task.CompletedTask;

        public Task DisposeAsync() => Cluster.DisposeAsync().AsTask();
    }

    private static int _visitors;

    /// <summary>A visitor address no other test of the class uses, so each has its own hourly budget.</summary>
    private static string NewVisitor()
    {
        var n = Interlocked.Increment(ref _visitors);
        return $"10.13.{n / 250}.{(n % 250) + 1}";
    }

    private async Task<TwinCluster> StartAsync()
    {
        await twin.Cluster.StartAsync();
        return twin.Cluster;
    }

    [SkippableFact]
    public async Task AFormOpenedOnOneNode_IsAcceptedByTheOther_AndAnOfficerSignedInOnOne_IsSignedInOnTheOther()
    {
        var cluster = await StartAsync();
        using var tipster = new TwinBrowser(cluster, NewVisitor());

        var receipt = await TwinTips.SubmitAsync(tipster.Node1, tipster.Node2, "Opened on node 1, sent to node 2.");

        Assert.Matches("^[0-9A-Z]{4}(-[0-9A-Z]{4}){5}$", receipt);
        Assert.True(await cluster.TipStoredAsync(receipt));

        // The officer side: signed in (password, new password, authenticator) on node 1, the session works on node 2.
        using var officer = await SupervisorAsync(cluster, node1: true);
        var queue = await officer.Node2.GetAsync(new Uri("/triage", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, queue.StatusCode);
    }

    [SkippableFact]
    public async Task ASolvedCheck_UsedByOneForm_IsRefusedToAnotherFormOnTheOtherNode()
    {
        var cluster = await StartAsync();
        using var first = new TwinBrowser(cluster, NewVisitor());
        using var second = new TwinBrowser(cluster, NewVisitor());

        var solved = await TwinTips.OpenAsync(first.Node1, "The first form, with its question answered.");
        await TipForms.ReceiptAsync(first.Node1, await TwinTips.SendAsync(first.Node1, solved));

        // Another form (its own form key) carrying the first one's solved question, sent to node 2.
        var tipsBefore = await TipCountAsync(cluster);
        var other = await TwinTips.OpenAsync(second.Node2, "A second form reusing the first one's answer.");
        other["Input.CheckToken"] = solved["Input.CheckToken"];
        other["Input.CheckAnswer"] = solved["Input.CheckAnswer"];
        var reused = await TwinTips.SendAsync(second.Node2, other);

        Assert.NotEqual("/tips/receipt", reused.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, reused.StatusCode);
        Assert.Contains("The question expired", await reused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(tipsBefore, await TipCountAsync(cluster));
    }

    [SkippableFact]
    public async Task ANoticePublishedAndEditedOnOneNode_IsFreshOnTheOtherAtOnce()
    {
        var cluster = await StartAsync();
        using var officer = await SupervisorAsync(cluster, node1: true);
        using var visitor = new TwinBrowser(cluster, NewVisitor());
        var name = NoticeDesk.UniqueName("Twin");

        // Node 2 has read its catalogue and cached the search before the change.
        var before = await visitor.Node2.GetStringAsync(new Uri($"/notices?q={name}", UriKind.Relative));
        Assert.Contains("0 notices found", before, StringComparison.Ordinal);

        var reference = await NoticeDesk.CreateAsync(officer.Node1, name);
        await NoticeDesk.PublishAsync(officer.Node1, reference);
        var published = Stopwatch.StartNew();

        // "At once": well inside the catalogue's 30 s background refresh and the output cache's minute.
        Assert.True(await EventuallyAsync(TimeSpan.FromSeconds(5), async () =>
            (await visitor.Node2.GetStringAsync(new Uri($"/notices?q={name}", UriKind.Relative))).Contains($"/notices/{reference}", StringComparison.Ordinal)),
            $"Node 2's search does not find the notice node 1 published, {published.Elapsed.TotalSeconds:0.0} s later.");
        Assert.Equal(HttpStatusCode.OK, (await visitor.Node2.GetAsync(new Uri($"/notices/{reference}", UriKind.Relative))).StatusCode);

        // An edit of a published notice on node 1: node 2's public page shows the new text at once.
        var fields = await NoticeDesk.FormAsync(officer.Node1, reference, "notice-form");
        var summary = "SAMPLE DATA. Changed on node 1 " + Guid.NewGuid().ToString("N")[..8] + ".";
        fields["Input.Summary"] = summary;
        var edited = await NoticeDesk.PostAsync(officer.Node1, reference, null, fields);
        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);
        Assert.True(await EventuallyAsync(TimeSpan.FromSeconds(5), async () =>
            (await visitor.Node2.GetStringAsync(new Uri($"/notices/{reference}", UriKind.Relative))).Contains(summary, StringComparison.Ordinal)),
            "Node 2's notice page does not show the edit made on node 1 within 5 s.");
    }

    [SkippableFact]
    public async Task TheTipRateLimit_CountsTipsSentToBothNodes()
    {
        var cluster = await StartAsync();
        using var tipster = new TwinBrowser(cluster, NewVisitor());
        var nodes = new[] { tipster.Node1, tipster.Node2 };

        // The limit's worth of tips, alternately to each node: each node alone has seen fewer.
        for (var i = 0; i < TwinCluster.TipsPerClientPerHour; i++)
        {
            var node = nodes[i % 2];
            await TipForms.ReceiptAsync(node, await TwinTips.SendAsync(node, await TwinTips.OpenAsync(node, $"Tip {i + 1} within the limit.")));
        }

        // One more, to the node that has seen fewer: refused, the budget is the client's, not the node's.
        var quieter = nodes[TwinCluster.TipsPerClientPerHour % 2];
        var over = await TwinTips.SendAsync(quieter, await TwinTips.OpenAsync(quieter, "One tip over the hourly limit."));
        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
    }

    [SkippableFact]
    public async Task AJobDueOnBothNodes_RunsOnce()
    {
        var cluster = await StartAsync();
        string[] periodic = ["score-refresh", "retention", "deadline-reminders", "closed-notice-sweep"];
        var inList = string.Join(", ", periodic.Select(p => $"'{p}'"));
        var sql = $"""SELECT "Name", "RunCount", "LastCompletedAtUtc" IS NOT NULL FROM "JobLeases" WHERE "Name" IN ({inList})""";
        async Task<List<(string Name, int Runs, bool Completed)>> LeasesAsync() => await cluster.QueryAsync(sql, r =>
        {
            var rows = new List<(string, int, bool)>();
            while (r.Read())
            {
                rows.Add((r.GetString(0), r.GetInt32(1), r.GetBoolean(2)));
            }

            return rows;
        });

        // Both nodes poll every second (Jobs:PollSeconds=1); the hourly and daily jobs are due at start.
        Assert.True(await EventuallyAsync(TimeSpan.FromSeconds(20), async () => (await LeasesAsync()).Any(l => l.Completed)),
            "No hourly or daily job has completed a run in JobLeases 20 s after both nodes started.");
        await Task.Delay(TimeSpan.FromSeconds(4));

        var leases = await LeasesAsync();
        Assert.All(leases.Where(l => l.Runs > 0), l => Assert.True(l.Runs == 1, $"{l.Name} ran {l.Runs} times with two nodes polling."));

        // The leases count only the holder's completions: a run by a node that lost its lease would not
        // show there. Each node's own count of its runs does. Make the jobs due again (no run in flight,
        // so no lease is taken from a holder) and count, over both nodes, what each did since.
        Assert.True(await EventuallyAsync(TimeSpan.FromSeconds(30), async () =>
                await cluster.QueryAsync($"""SELECT COUNT(*) FROM "JobLeases" WHERE "Name" IN ({inList}) AND "Holder" IS NOT NULL""", r => r.Read() && r.GetInt64(0) == 0)),
            "A job still held its lease 30 s later.");
        var before = await JobRunsAsync(cluster);
        await cluster.QueryAsync($"""DELETE FROM "JobLeases" WHERE "Name" IN ({inList}) AND "Holder" IS NULL""", r => r.RecordsAffected);
        Assert.True(await EventuallyAsync(TimeSpan.FromSeconds(20), async () => (await LeasesAsync()).Any(l => l.Completed)),
            "No job ran again 20 s after its lease row was removed.");
        await Task.Delay(TimeSpan.FromSeconds(4));

        var after = await JobRunsAsync(cluster);
        var ranAgain = (await LeasesAsync()).Where(l => l.Completed).ToList();
        Assert.NotEmpty(ranAgain);
        foreach (var (name, runs, _) in ranAgain)
        {
            Assert.True(runs == 1, $"{name} ran {runs} times with two nodes polling.");
            var completed = Since(after, before, name, "completed");
            Assert.True(completed == 1, $"{name}: infraterra_jobs_runs_total{{outcome=\"completed\"}} rose by {completed} over both nodes, not 1.");
        }

        foreach (var name in periodic)
        {
            Assert.True(Since(after, before, name, "lease_lost") == 0, $"{name} finished a run after losing its lease.");
            Assert.True(Since(after, before, name, "failed") == 0, $"{name} failed a run.");
        }
    }

    private static double Since(Dictionary<(string Job, string Outcome), double> after, Dictionary<(string Job, string Outcome), double> before, string job, string outcome) =>
        after.GetValueOrDefault((job, outcome)) - before.GetValueOrDefault((job, outcome));

    /// <summary><c>infraterra_jobs_runs_total</c> by job and outcome, summed over both nodes' metrics ports (each must answer).</summary>
    private static async Task<Dictionary<(string Job, string Outcome), double>> JobRunsAsync(TwinCluster cluster)
    {
        var sums = new Dictionary<(string, string), double>();
        using var client = cluster.OperatorClient();
        using var fromTheProxy = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var url in new[] { cluster.Node1Metrics, cluster.Node2Metrics })
        {
            Assert.True(IPAddress.IsLoopback(IPAddress.Parse(url.Host)), $"{url} is not on the loopback.");
            var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            // From 127.0.0.1, Caddy's address, the trusted proxy's: the public side, refused.
            Assert.Equal(HttpStatusCode.NotFound, (await fromTheProxy.GetAsync(url)).StatusCode);
            foreach (Match m in JobRunLine().Matches(await response.Content.ReadAsStringAsync()))
            {
                var key = (JobLabel().Match(m.Groups["labels"].Value).Groups[1].Value, OutcomeLabel().Match(m.Groups["labels"].Value).Groups[1].Value);
                sums[key] = sums.GetValueOrDefault(key) + double.Parse(m.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return sums;
    }

    [GeneratedRegex(@"(?m)^infraterra_jobs_runs_total\{(?<labels>[^}]*)\} (?<value>[0-9.eE+-]+)")]
    private static partial Regex JobRunLine();

    [GeneratedRegex(@"\bjob=""([^""]*)""")]
    private static partial Regex JobLabel();

    [GeneratedRegex(@"\boutcome=""([^""]*)""")]
    private static partial Regex OutcomeLabel();

    [SkippableFact]
    public async Task ANodeKilledUnderTipLoad_LosesNoAcknowledgedTip_AndTheOtherKeepsServing()
    {
        var cluster = await StartAsync();
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<string>();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();

        async Task TipsterAsync(int seed)
        {
            var i = 0;
            while (!stop.IsCancellationRequested)
            {
                // A new visitor per tip (the hourly limit is per visitor), alternately on each node.
                using var browser = new TwinBrowser(cluster, NewVisitor());
                var node = (seed + i++) % 2 == 0 ? browser.Node1 : browser.Node2;
                try
                {
                    var fields = await TwinTips.OpenAsync(node, $"Tip under load {seed}-{i}.");
                    var post = await TwinTips.SendAsync(node, fields);
                    if (post.StatusCode == HttpStatusCode.Redirect)
                    {
                        acknowledged.Add(await TipForms.ReceiptAsync(node, post));
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or Xunit.Sdk.XunitException or InvalidOperationException)
                {
                    // A request cut by the kill: not acknowledged, so the tipster would send it again.
                    failures.Add(e.GetType().Name);
                }
            }
        }

        var tipsters = Enumerable.Range(0, 6).Select(TipsterAsync).ToList();
        await Task.Delay(TimeSpan.FromSeconds(3));
        var beforeKill = acknowledged.Count;
        using (var node1 = Process.GetProcessById(cluster.Node1Pid))
        {
            node1.Kill(); // SIGKILL: no graceful shutdown, requests in flight cut
        }

        await Task.Delay(TimeSpan.FromSeconds(3));
        await stop.CancelAsync();
        await Task.WhenAll(tipsters);

        try
        {
            Assert.True(beforeKill > 0, "No tip was acknowledged before the kill.");
            Assert.True(acknowledged.Count > beforeKill, "No tip was acknowledged after node 1 was killed.");
            foreach (var receipt in acknowledged)
            {
                Assert.True(await cluster.TipStoredAsync(receipt), $"The acknowledged tip {receipt} is not stored.");
            }

            // Node 2 keeps serving: its public pages, and a whole tip.
            using var visitor = new TwinBrowser(cluster, NewVisitor());
            foreach (var path in new[] { "/", "/notices", "/tips/follow-up" })
            {
                Assert.Equal(HttpStatusCode.OK, (await visitor.Node2.GetAsync(new Uri(path, UriKind.Relative))).StatusCode);
            }

            var after = await TwinTips.SubmitAsync(visitor.Node2, visitor.Node2, "Sent to node 2 once node 1 is gone.");
            Assert.True(await cluster.TipStoredAsync(after));
        }
        finally
        {
            // The other tests of the class use both nodes.
            await cluster.RestartAsync("node1");
        }
    }

    /// <summary>A Supervisor created with the operator command and signed in for the first time on one node.</summary>
    private static async Task<TwinBrowser> SupervisorAsync(TwinCluster cluster, bool node1)
    {
        var email = $"twin-{Guid.NewGuid().ToString("N")[..8]}@example.org";
        var output = await cluster.CommandAsync("create-user", "--email", email, "--role", Roles.Supervisor);
        var oneTime = OneTimePasswordLine().Match(output).Groups[1].Value;
        var browser = new TwinBrowser(cluster, NewVisitor());
        var client = node1 ? browser.Node1 : browser.Node2;

        var login = await Officers.SubmitPasswordAsync(client, email, oneTime);
        Assert.Equal("/account/change-password", login.Headers.Location?.OriginalString);
        var change = await Clients.PostFormAsync(client, "/account/change-password", f =>
        {
            f["Input.CurrentPassword"] = oneTime;
            f["Input.NewPassword"] = Officers.NewPassword;
            f["Input.ConfirmPassword"] = Officers.NewPassword;
            return f;
        });
        Assert.Equal("/account/setup-authenticator", change.Headers.Location?.OriginalString);
        var setup = await Html.ParseAsync(await client.GetAsync(new Uri("/account/setup-authenticator", UriKind.Relative)));
        var fields = Html.FormFields(setup);
        fields["Code"] = Officers.Totp(setup.QuerySelector("#authenticator-key")!.TextContent);
        var enabled = await client.PostAsync(new Uri("/account/setup-authenticator", UriKind.Relative), new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        return browser;
    }

    private static Task<long> TipCountAsync(TwinCluster cluster) =>
        cluster.QueryAsync("""SELECT COUNT(*) FROM "Tips" """, r => r.Read() ? r.GetInt64(0) : -1);

    private static async Task<bool> EventuallyAsync(TimeSpan within, Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            if (await condition())
            {
                return true;
            }

            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(200);
        }
    }

    [GeneratedRegex("One-time password: (\\S+)")]
    private static partial Regex OneTimePasswordLine();
}
