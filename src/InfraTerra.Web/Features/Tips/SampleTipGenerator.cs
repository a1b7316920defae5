using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Tips;

/// <summary>
/// Bulk sample tips for benchmarks and demos (<c>generate-tips</c>): sealed, hashed and bound exactly
/// as the tip store stores a real tip, so that officers' pages open them like any other. The shape
/// follows a unit after a televised appeal: most tips about a few notices, a burst about one of them
/// with its repeats linked in a few clusters, a backlog of older tips in every status, grades, a few
/// threats to life, some conversations. Every text says it is generated sample data. The shape comes
/// from <c>--seed</c>; ids, keys and receipts are random like real ones (the receipts are discarded).
/// </summary>
[SuppressMessage("Security", "CA5394", Justification = "The shape of sample data repeats from a seed; ids, keys, receipts and nonces come from the cryptographic generator, as for real tips.")]
public sealed class SampleTipGenerator(AppDbContext db, TipSealer sealer, ReceiptCodes receipts, TimeProvider clock) : ISampleTipGenerator
{
    public const string Marker = "GENERATED SAMPLE DATA (generate-tips), not a real tip.";

    private const int BatchSize = 10_000;

    // Tips drawn from one seeded generator, so the shape does not depend on how threads share the work.
    private const int ChunkSize = 500;
    private const int HistoryHours = 548 * 24;
    private const int AppealDaysAgo = 40;
    private const int AppealClusters = 4;

    public async Task<SampleTipsResult> GenerateAsync(int count, int seed, TextWriter progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        var now = clock.GetUtcNow().UtcDateTime;
        var notices = await LoadNoticesAsync(cancellationToken);
        if (notices.Count == 0)
        {
            throw new OperatorCommands.CommandException("there are no notices to write tips about: run migrate and seed-demo first.");
        }

        var officers = await LoadOfficersAsync(cancellationToken);
        var plan = Plan.Make(count, seed, notices, now);
        var maker = new TipMaker(sealer, receipts, notices, officers, plan, now, seed);
        await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Generating {count:N0} sample tips (seed {seed}) about {notices.Count} notices, {plan.Clusters.Count:N0} clusters, {officers.Count} officer(s) to assign, on {Environment.ProcessorCount} cores..."));

        var messages = 0;
        await db.Database.OpenConnectionAsync(cancellationToken);
        var sqlite = db is SqliteAppDbContext;
        try
        {
            if (sqlite)
            {
                // The unique hashes and the random ids land all over their indexes: with SQLite's default
                // 2 MB page cache, most inserts would read a page back from disk.
                await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size = -262144", cancellationToken);
            }

            await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
            {
                await using var clusterRows = new BulkRows<TipCluster>(db);
                await clusterRows.InsertAsync(plan.Clusters.Select(c => c.ToEntity(officers, now)).ToList(), cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }

            await using var tipRows = new BulkRows<Tip>(db);
            await using var messageRows = new BulkRows<TipMessage>(db);
            var batches = (count + BatchSize - 1) / BatchSize;
            var next = Task.Run(() => maker.Batch(0), cancellationToken);
            var written = 0;
            var lastReport = TimeSpan.Zero;
            for (var b = 0; b < batches; b++)
            {
                var batch = await next;
                if (b + 1 < batches)
                {
                    var following = b + 1;
                    next = Task.Run(() => maker.Batch(following), cancellationToken);
                }

                await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
                {
                    await tipRows.InsertAsync(batch.Tips, cancellationToken);
                    await messageRows.InsertAsync(batch.Messages, cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                }

                written += batch.Tips.Count;
                messages += batch.Messages.Count;
                if (started.Elapsed - lastReport > TimeSpan.FromSeconds(5) || written == count)
                {
                    lastReport = started.Elapsed;
                    await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"  {written:N0} / {count:N0} tips, {written / started.Elapsed.TotalSeconds:N0} tips/s"));
                }
            }

            // Fresh statistics, as autovacuum (PostgreSQL) or an operator's ANALYZE (SQLite) would have
            // them for tips that arrived over months: the planner picks the queue's indexes by them.
            await progress.WriteLineAsync("Updating the planner's statistics (ANALYZE)...");
            if (sqlite)
            {
                await db.Database.ExecuteSqlRawAsync("ANALYZE", cancellationToken);
            }
            else if (db is PostgresAppDbContext)
            {
                await db.Database.ExecuteSqlRawAsync("ANALYZE \"Tips\", \"TipMessages\", \"TipClusters\"", cancellationToken);
            }
        }
        finally
        {
            if (sqlite)
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size = -2000", CancellationToken.None);
            }

            await db.Database.CloseConnectionAsync();
        }

        return new SampleTipsResult(count, plan.Clusters.Count, messages, started.Elapsed);
    }

    private async Task<List<NoticeFacts>> LoadNoticesAsync(CancellationToken cancellationToken)
    {
        var notices = await db.Notices.AsNoTracking().Include(n => n.Warrants).OrderBy(n => n.Id).ToListAsync(cancellationToken);

        // The televised appeal is about a wanted person the public is warned about.
        return [.. notices
            .OrderByDescending(n => n.Status == NoticeStatus.Wanted && n.Caution is not null)
            .ThenByDescending(n => n.Status == NoticeStatus.Wanted)
            .ThenBy(n => n.Id)
            .Select(n => new NoticeFacts(n.Id, Tip.DeskFor(n), n.Status, n.Caution is not null, $"{n.Forenames} {n.FamilyName}"))];
    }

    private async Task<List<OfficerFacts>> LoadOfficersAsync(CancellationToken cancellationToken)
    {
        var roles = await db.Roles.Where(r => r.Name == Roles.Officer || r.Name == Roles.Supervisor)
            .ToDictionaryAsync(r => r.Id, r => r.Name!, cancellationToken);
        var roleIds = roles.Keys.ToList();
        var members = await db.UserRoles.Where(ur => roleIds.Contains(ur.RoleId)).ToListAsync(cancellationToken);
        var desks = await db.OfficerDesks.ToListAsync(cancellationToken);
        return [.. members.GroupBy(m => m.UserId).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new OfficerFacts(
            g.Key,
            g.Any(m => roles[m.RoleId] == Roles.Supervisor),
            [.. desks.Where(d => d.UserId == g.Key).Select(d => d.Desk)]))];
    }

    private sealed record NoticeFacts(int Id, string Desk, NoticeStatus Status, bool HasCaution, string Name);

    private sealed record OfficerFacts(string Id, bool Supervisor, HashSet<string> Desks);

    private sealed class ClusterPlan(int index, Guid id, int noticeId, int place, int story, int firstMember)
    {
        public int Index { get; } = index;
        public Guid Id { get; } = id;
        public int NoticeId { get; } = noticeId;
        public int Place { get; } = place;
        public int Story { get; } = story;
        public int FirstMember { get; } = firstMember;

        /// <summary>For the clusters of the appeal: one of the few places many callers saw the person.</summary>
        public int? AppealSighting { get; init; }

        public int Target { get; init; } = int.MaxValue;
        public int Size { get; set; }
        public int OldestHoursAgo { get; set; }
        public DateOnly SightedOn { get; set; }

        public TipCluster ToEntity(List<OfficerFacts> officers, DateTime now) => new()
        {
            Id = Id,
            NoticeId = NoticeId,
            TipCount = Size,
            CreatedById = officers.Count > 0 ? officers[Index % officers.Count].Id : "generate-tips",
            CreatedAtUtc = now.AddHours(Math.Min(0, 6 - OldestHoursAgo)),
        };
    }

    /// <summary>Who each tip is about, when it came and which cluster it joins: drawn first, so cluster sizes are known before any tip is scored.</summary>
    private sealed class Plan
    {
        public required int[] HoursAgo { get; init; }
        public required short[] Notice { get; init; }
        public required int[] Cluster { get; init; }
        public required List<ClusterPlan> Clusters { get; init; }

        public static Plan Make(int count, int seed, List<NoticeFacts> notices, DateTime now)
        {
            var random = new Random(seed);
            var hoursAgo = new int[count];
            var notice = new short[count];
            var cluster = new int[count];
            var clusters = new List<ClusterPlan>();
            var open = new Dictionary<int, ClusterPlan>();
            var appealHoursAgo = AppealDaysAgo * 24 + now.Hour;
            var appeal = new ClusterPlan?[AppealClusters];
            var appealPlaces = PlacesIn.GetValueOrDefault(notices[0].Desk) ?? [0];
            var weights = NoticeWeights(notices.Count);
            for (var i = 0; i < count; i++)
            {
                var n = PickNotice(random, weights);
                notice[i] = (short)n;
                var inAppeal = n == 0 && random.NextDouble() < 0.75;

                // The burst after the broadcast fades over days; the rest arrive over 18 months, more lately.
                hoursAgo[i] = inAppeal
                    ? Math.Max(0, appealHoursAgo - (int)(-Math.Log(1 - random.NextDouble()) * 36))
                    : (int)(HistoryHours * (1 - Math.Sqrt(random.NextDouble())));
                ClusterPlan? joined = null;
                if (inAppeal && random.NextDouble() < 0.3)
                {
                    var c = Pick(random, [40, 30, 20, 10]);
                    joined = appeal[c] ??= Add(new ClusterPlan(clusters.Count, Guid.NewGuid(), notices[n].Id, appealPlaces[c % appealPlaces.Length], c, i)
                    {
                        AppealSighting = c,
                    });
                }
                else if (n >= 0 && random.NextDouble() < 0.04)
                {
                    if (!open.TryGetValue(n, out joined) || joined.Size >= joined.Target)
                    {
                        joined = Add(new ClusterPlan(clusters.Count, Guid.NewGuid(), notices[n].Id, random.Next(Places.Length), random.Next(Stories.Length), i)
                        {
                            Target = random.Next(2, 9),
                        });
                        open[n] = joined;
                    }
                }

                cluster[i] = -1;
                if (joined is not null)
                {
                    joined.Size++;
                    joined.OldestHoursAgo = Math.Max(joined.OldestHoursAgo, hoursAgo[i]);
                    cluster[i] = joined.Index;
                }
            }

            // A cluster of one says nothing: its tip stays alone.
            var kept = new List<ClusterPlan>();
            var renumber = new int[clusters.Count];
            foreach (var c in clusters)
            {
                renumber[c.Index] = c.Size >= 2 ? kept.Count : -1;
                if (c.Size >= 2)
                {
                    kept.Add(c);
                }
            }

            for (var i = 0; i < count; i++)
            {
                if (cluster[i] >= 0)
                {
                    cluster[i] = renumber[cluster[i]];
                }
            }

            var appealDay = DateOnly.FromDateTime(now.AddHours(-appealHoursAgo));
            foreach (var c in kept)
            {
                var earliest = DateOnly.FromDateTime(now.AddHours(-c.OldestHoursAgo));
                var sighted = c.AppealSighting is { } k ? appealDay.AddDays(-1 - k) : earliest.AddDays(-random.Next(0, 4));
                c.SightedOn = sighted > earliest ? earliest : sighted;
            }

            return new Plan { HoursAgo = hoursAgo, Notice = notice, Cluster = cluster, Clusters = kept };

            ClusterPlan Add(ClusterPlan c)
            {
                clusters.Add(c);
                return c;
            }
        }

        /// <summary>The appeal's notice 45 %, the next two 12 % each, the others 21 % between them, no notice 10 %.</summary>
        private static double[] NoticeWeights(int notices)
        {
            var weights = new double[notices];
            for (var n = 0; n < notices; n++)
            {
                weights[n] = n switch
                {
                    0 => 45,
                    1 or 2 => 12,
                    _ => 21.0 / Math.Max(1, notices - 3),
                };
            }

            return weights;
        }

        private static int PickNotice(Random random, double[] weights)
        {
            var total = weights.Sum() + 10;
            var r = random.NextDouble() * total;
            for (var n = 0; n < weights.Length; n++)
            {
                r -= weights[n];
                if (r < 0)
                {
                    return n;
                }
            }

            return -1;
        }
    }

    private sealed record Batch(List<Tip> Tips, List<TipMessage> Messages);

    private sealed class TipMaker(
        TipSealer sealer, ReceiptCodes receipts, List<NoticeFacts> notices, List<OfficerFacts> officers, Plan plan, DateTime now, int seed)
    {
        private readonly DateOnly _today = DateOnly.FromDateTime(now);

        public Batch Batch(int batch)
        {
            var first = batch * BatchSize;
            var count = Math.Min(BatchSize, plan.HoursAgo.Length - first);
            var tips = new Tip[count];
            var messages = new List<TipMessage>?[(count + ChunkSize - 1) / ChunkSize];
            Parallel.For(0, messages.Length, chunk =>
            {
                var random = new Random(unchecked((seed * 1_000_003) + ((first / ChunkSize) + chunk)));
                var chunkMessages = new List<TipMessage>();
                for (var i = chunk * ChunkSize; i < Math.Min(count, (chunk + 1) * ChunkSize); i++)
                {
                    tips[i] = Make(first + i, random, chunkMessages);
                }

                messages[chunk] = chunkMessages;
            });
            return new Batch([.. tips], [.. messages.SelectMany(m => m!)]);
        }

        private Tip Make(int index, Random random, List<TipMessage> messages)
        {
            var notice = plan.Notice[index] is >= 0 and var n ? notices[n] : null;
            var cluster = plan.Cluster[index] is >= 0 and var c ? plan.Clusters[c] : null;
            var hoursAgo = plan.HoursAgo[index];
            var submitted = TipsterTime.Coarse(now.AddHours(-hoursAgo));
            var status = StatusFor(random, hoursAgo, repeat: cluster is not null && cluster.FirstMember != index);

            int place;
            DateOnly? sightedOn;
            if (cluster is not null)
            {
                place = cluster.Place;
                sightedOn = cluster.SightedOn;
            }
            else
            {
                place = random.NextDouble() < 0.7 ? PlaceFor(random, notice) : -1;
                sightedOn = random.NextDouble() < 0.7 ? DateOnly.FromDateTime(submitted).AddDays(-(int)Math.Min(30, -Math.Log(1 - random.NextDouble()) * 3)) : null;
            }

            var content = new TipContent(Describe(random, notice, cluster, place), place >= 0 ? Places[place].Text : null)
            {
                SightingDateIsApproximate = sightedOn is not null && random.NextDouble() < 0.3,
                HowKnown = Pick(random, [45, 10, 15, 20, 5, 5]) switch { 5 => null, var h => (HowKnown)(h + 1) },
                Certainty = Pick(random, [25, 45, 25, 5]) switch { 3 => null, var k => (Certainty)(k + 1) },
                ContactDetails = random.NextDouble() < 0.1 ? string.Create(CultureInfo.InvariantCulture, $"sample-{index}@example.invalid") : null,
            };

            var id = Guid.NewGuid();
            var sealedTip = sealer.Seal(id, content);
            var receipt = ReceiptCodes.NewCode();
            var formKey = FormKeys.NewKey();
            var tip = new Tip
            {
                Id = id,
                NoticeId = notice?.Id,
                Desk = notice?.Desk ?? Tip.GeneralDesk,
                SightingCountry = place >= 0 ? Places[place].Country : null,
                SightedOn = sightedOn,
                Status = status,
                SubmittedAtUtc = submitted,
                StatusChangedAtUtc = submitted,
                SealedContent = sealedTip.Content,
                WrappedDataKey = sealedTip.WrappedDataKey,
                MasterKeyId = sealedTip.MasterKeyId,
                ReceiptLookupHash = receipts.LookupHash(ReceiptCodes.Canonical(receipt)!),
                IdempotencyKeyHash = FormKeys.Hash(formKey),
                ReplayReceipt = FormKeys.SealReceipt(formKey, id, receipt),
                TipsterSignals = TipsterSignalRules.Of(content, sightedOn, []),
                ClusterId = cluster?.Id,
                Revision = status == TipStatus.New ? 0 : random.Next(1, 4),
            };

            var reported = random.NextDouble() < 0.003;
            tip.ThreatToLife = !reported ? ThreatToLife.None
                : status == TipStatus.New ? ThreatToLife.ReportedByTipster
                : (ThreatToLife)Pick(random, [30, 30, 40]);

            if (status != TipStatus.New)
            {
                var acted = submitted.AddMinutes(Math.Min(hoursAgo * 60.0 * 0.9, -Math.Log(1 - random.NextDouble()) * 60 * 48) + random.Next(60));
                tip.FirstActionAtUtc = acted > now ? now : acted;
                if (random.NextDouble() < (status == TipStatus.InReview ? 0.3 : 0.7))
                {
                    tip.SourceGrade = (SourceReliability)(Pick(random, [5, 30, 25, 40]) + 1);
                    tip.InformationGrade = (InformationCredibility)(Pick(random, [5, 20, 30, 45]) + 1);
                }

                var holder = HolderFor(random, tip.Desk);
                if (holder is not null && random.NextDouble() < (StatusRules.IsClosing(status) ? 0.4 : 0.8))
                {
                    tip.AssignedToId = holder.Id;
                }

                if (random.NextDouble() < 0.06)
                {
                    Converse(random, tip, holder, messages);
                }
            }

            var priority = TipPriority.Of(
                new PriorityInputs(tip.ThreatToLife, notice?.Status, notice?.HasCaution ?? false, tip.SightedOn, tip.TipsterSignals,
                    tip.SourceGrade, tip.InformationGrade, cluster?.Size ?? 0, tip.AnswerUnread),
                _today);
            tip.PriorityScore = priority.Score;
            tip.PriorityReasons = priority.Reasons;
            return tip;
        }

        /// <summary>An officer's question (the feedback the deadline asks for) and, often, the tipster's answer.</summary>
        private void Converse(Random random, Tip tip, OfficerFacts? holder, List<TipMessage> messages)
        {
            var asked = tip.FirstActionAtUtc!.Value.AddMinutes(random.Next(0, 72 * 60));
            if (asked > now)
            {
                asked = now;
            }

            var question = new TipMessage
            {
                Id = Guid.NewGuid(),
                TipId = tip.Id,
                Author = MessageAuthor.Officer,
                OfficerId = holder?.Id,
                Position = 1,
                SentAtUtc = TipsterTime.Coarse(asked),
            };
            question.SealedBody = sealer.Seal(tip, TipStore.MessageBinding(question), Encoding.UTF8.GetBytes(
                Marker + " " + Questions[random.Next(Questions.Length)]));
            messages.Add(question);
            tip.FeedbackGivenAtUtc = asked;

            var answered = TipsterTime.Coarse(asked.AddHours(random.Next(1, 97)));
            if (random.NextDouble() < 0.6 && answered <= now)
            {
                var answer = new TipMessage
                {
                    Id = Guid.NewGuid(),
                    TipId = tip.Id,
                    Author = MessageAuthor.Tipster,
                    Position = 2,
                    SentAtUtc = answered,
                };
                answer.SealedBody = sealer.Seal(tip, TipStore.MessageBinding(answer), Encoding.UTF8.GetBytes(
                    Marker + " " + Answers[random.Next(Answers.Length)]));
                messages.Add(answer);
                tip.AnswerUnread = !StatusRules.IsClosing(tip.Status) && random.NextDouble() < 0.5;
            }
        }

        private OfficerFacts? HolderFor(Random random, string desk)
        {
            if (officers.Count == 0)
            {
                return null;
            }

            var onDesk = officers.Where(o => o.Supervisor || o.Desks.Contains(desk)).ToList();
            return onDesk.Count == 0 ? null : onDesk[random.Next(onDesk.Count)];
        }

        private static TipStatus StatusFor(Random random, int hoursAgo, bool repeat)
        {
            if (repeat && hoursAgo >= 24 && random.NextDouble() < 0.5)
            {
                return TipStatus.Duplicate;
            }

            // New, InReview, Actionable, Forwarded, NotActionable, Duplicate, Closed
            int[] weights = hoursAgo < 72 ? [85, 15, 0, 0, 0, 0, 0]
                : hoursAgo < 30 * 24 ? [35, 30, 10, 5, 13, 2, 5]
                : [8, 12, 10, 8, 30, 2, 30];
            return (TipStatus)(Pick(random, weights) + 1);
        }

        private static int PlaceFor(Random random, NoticeFacts? notice)
        {
            if (notice is not null && random.NextDouble() < 0.6)
            {
                var local = PlacesIn.GetValueOrDefault(notice.Desk);
                if (local is { Length: > 0 })
                {
                    return local[random.Next(local.Length)];
                }
            }

            return random.Next(Places.Length);
        }

        private static string Describe(Random random, NoticeFacts? notice, ClusterPlan? cluster, int place)
        {
            var who = notice is null
                ? Strangers[random.Next(Strangers.Length)]
                : random.NextDouble() < 0.5 ? $"the person in the appeal, {notice.Name}," : $"{notice.Name}";
            var where = place >= 0 ? $" at {Places[place].Text}" : "";
            var story = Stories[cluster?.Story ?? random.Next(Stories.Length)];
            var extra = random.NextDouble() < 0.5 ? " " + Extras[random.Next(Extras.Length)] : "";
            return $"{Marker} I believe I saw {who}{where}. {story}{extra}";
        }
    }

    private static int Pick(Random random, int[] weights)
    {
        var r = random.Next(weights.Sum());
        for (var k = 0; k < weights.Length; k++)
        {
            r -= weights[k];
            if (r < 0)
            {
                return k;
            }
        }

        return weights.Length - 1;
    }

    private static readonly (string Text, string Country)[] Places =
    [
        ("the fish market in Mombasa old town", "KE"), ("a petrol station on the road out of Nakuru", "KE"), ("the ferry terminal at Likoni", "KE"),
        ("a bar near the harbour in Durban", "ZA"), ("a game farm auction outside Polokwane", "ZA"), ("the taxi rank in Johannesburg centre", "ZA"),
        ("a freight office at Chennai port", "IN"), ("a hotel lobby in Kolkata", "IN"), ("the bus station in Madurai", "IN"),
        ("a sawmill on the BR-163 near Novo Progresso", "BR"), ("the river port in Santarém", "BR"), ("a bank branch in Belém", "BR"),
        ("the harbour in Toamasina", "MG"), ("a timber yard outside Antananarivo", "MG"),
        ("the fishing pier in Mbour", "SN"), ("a cold store in Dakar port", "SN"), ("a café in Saint-Louis", "SN"),
        ("the harbour in Bitung", "ID"), ("a ship chandler in Jakarta", "ID"),
        ("a riverside workshop in Barrancabermeja", "CO"), ("the airport in Medellín", "CO"),
        ("a port office in Gioia Tauro", "IT"), ("a restaurant in Naples", "IT"),
        ("the night market in Hat Yai", "TH"), ("a pet shop at Chatuchak market in Bangkok", "TH"),
        ("the border crossing at Namanga", "TZ"), ("a lodge near Arusha", "TZ"), ("Schiphol airport, arrivals", "NL"),
    ];

    private static readonly Dictionary<string, int[]> PlacesIn = Places
        .Select((p, i) => (p.Country, i)).GroupBy(x => x.Country).ToDictionary(g => g.Key, g => g.Select(x => x.i).ToArray());

    private static readonly string[] Stories =
    [
        "He was with two other men and loaded sacks into a white pickup with a canvas cover.",
        "She paid for several crates in cash and asked about a boat leaving that night.",
        "He had a scar over the eyebrow like in the photo and wore a blue cap.",
        "They were speaking about a container that had to clear customs before the weekend.",
        "He was staying in room 12 and left every morning early in a grey car.",
        "I recognised the face from the television appeal; he looked thinner and had a beard.",
        "The person was buying fuel in jerrycans and seemed nervous when people looked at him.",
        "She met a man in uniform and handed over an envelope.",
    ];

    private static readonly string[] Extras =
    [
        "I am not completely sure about the time.", "My neighbour saw the same car twice this week.",
        "There were boxes marked as machine parts.", "I can describe the vehicle again if needed.",
        "He left towards the coast road.", "I did not speak to anyone about this.",
    ];

    private static readonly string[] Strangers =
    [
        "a man selling ivory carvings", "people unloading timber at night", "a trawler switching off its lights",
        "a truck dumping barrels by the river", "someone offering pangolin scales",
    ];

    private static readonly string[] Questions =
    [
        "Thank you. Can you tell us what time this was, as closely as you remember?",
        "Thank you. Do you remember the colour or the plate of the vehicle?",
        "Thank you. Did you see where the person went afterwards?",
    ];

    private static readonly string[] Answers =
    [
        "It was around six in the evening, before the shops closed.",
        "A white pickup, the plate started with K, I did not see the rest.",
        "He walked towards the harbour and I lost sight of him.",
    ];
}
