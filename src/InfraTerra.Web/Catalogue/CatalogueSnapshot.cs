using System.Collections.Concurrent;
using InfraTerra.Web.Domain;

namespace InfraTerra.Web.Catalogue;

/// <summary>
/// Everything the public side shows of the published notices, as one immutable copy held by each node
/// (docs/decisions/0008-public-catalogue-in-memory.md). Search, filters, counts and pages run here, in
/// memory, over indexes built once per copy, so a search costs about the same whether 10 or 100,000
/// notices are published. Whether an arrested person is still listed depends on the clock and is
/// decided per request (<see cref="NoticeVisibility"/>), never frozen into the copy.
/// The <see cref="Notice"/> objects are shared by every request: nothing may change them.
/// </summary>
public sealed class CatalogueSnapshot
{
    private readonly NoticeVisibility _visibility;

    // The notices that can be listed (Wanted, Located, Arrested), in name order: a position is an index here.
    private readonly Notice[] _entries;
    private readonly NoticeCard[] _cards;
    private readonly Dictionary<string, Notice> _byReference;
    private readonly Dictionary<string, Operation> _operationsBySlug;

    // Name words: every distinct word in ordinal order, with the positions of the notices that carry it.
    private readonly string[] _words;
    private readonly int[][] _wordPositions;
    private readonly Dictionary<string, int[]> _variantPositions;

    private readonly Dictionary<string, ulong[]> _byNationality;
    private readonly Dictionary<string, ulong[]> _byWarrantCountry;
    private readonly Dictionary<string, ulong[]> _byOperation;
    private readonly Dictionary<CrimeCategory, ulong[]> _byCategory;
    private readonly Dictionary<Sex, ulong[]> _bySex;
    private readonly Dictionary<NoticeStatus, ulong[]> _byStatus;
    private readonly int[] _byUpdated;
    private readonly int[] _byAge;
    private readonly ConcurrentDictionary<string, object> _memo = new(StringComparer.Ordinal);
    private ListedView? _view;

    public CatalogueSnapshot(
        IEnumerable<Notice> published, IEnumerable<Operation> operations, CatalogueVersion version, NoticeVisibility visibility, DateTime builtAtUtc)
    {
        _visibility = visibility;
        Version = version;
        BuiltAtUtc = builtAtUtc;
        var all = published.ToList();
        _byReference = all.ToDictionary(n => n.Reference, StringComparer.Ordinal);
        Operations = [.. operations.OrderBy(o => o.Id)];
        _operationsBySlug = Operations.ToDictionary(o => o.Slug, StringComparer.Ordinal);

        _entries = [.. all.Where(n => n.Status is not NoticeStatus.Withdrawn)
            .OrderBy(n => n.FamilyName, StringComparer.Ordinal)
            .ThenBy(n => n.Forenames, StringComparer.Ordinal)
            .ThenBy(n => n.Reference, StringComparer.Ordinal)];
        _cards = [.. _entries.Select(CardOf)];
        var size = _entries.Length;

        var words = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var variants = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var position = 0; position < size; position++)
        {
            foreach (var word in NameWords(_entries[position]))
            {
                Add(words, word, position);
                if (NameVariants.KeyOf(word) is { } key)
                {
                    Add(variants, key, position);
                }
            }
        }

        _words = [.. words.Keys.Order(StringComparer.Ordinal)];
        _wordPositions = [.. _words.Select(w => words[w].ToArray())];
        _variantPositions = variants.ToDictionary(v => v.Key, v => v.Value.ToArray(), StringComparer.Ordinal);

        _byNationality = Index(n => n.Nationalities);
        _byWarrantCountry = Index(n => n.Warrants.Select(w => w.IssuingCountry));
        _byOperation = Index(n => n.Operations.Select(o => o.Slug));
        _byCategory = Index(n => n.Categories);
        _bySex = Index<Sex>(n => [n.Sex]);
        _byStatus = Index<NoticeStatus>(n => [n.Status]);

        _byUpdated = [.. Enumerable.Range(0, size)
            .OrderByDescending(p => _entries[p].UpdatedAtUtc)
            .ThenBy(p => _entries[p].Reference, StringComparer.Ordinal)];
        _byAge = [.. Enumerable.Range(0, size)
            .OrderBy(p => _entries[p].DateOfBirth is null ? 1 : 0)
            .ThenByDescending(p => _entries[p].DateOfBirth)
            .ThenBy(p => _entries[p].Reference, StringComparer.Ordinal)];

        Dictionary<TKey, ulong[]> Index<TKey>(Func<Notice, IEnumerable<TKey>> keys)
            where TKey : notnull
        {
            var index = new Dictionary<TKey, ulong[]>();
            for (var position = 0; position < size; position++)
            {
                foreach (var key in keys(_entries[position]))
                {
                    if (!index.TryGetValue(key, out var bits))
                    {
                        index[key] = bits = BitSet.New(size);
                    }

                    BitSet.Set(bits, position);
                }
            }

            return index;
        }
    }

    /// <summary>What the database held when this copy was read (<see cref="CatalogueLoader.VersionAsync"/>).</summary>
    public CatalogueVersion Version { get; }

    public DateTime BuiltAtUtc { get; }

    /// <summary>Every operation, by id (the home page's appeal is the first).</summary>
    public IReadOnlyList<Operation> Operations { get; }

    /// <summary>Published notices, listed or not (a withdrawn one answers 410, an unknown one 404).</summary>
    public int PublishedCount => _byReference.Count;

    /// <summary>A published notice, whatever its status; its page decides 200 or 410 with <see cref="NoticeVisibility"/>.</summary>
    public Notice? Find(string reference) => _byReference.GetValueOrDefault(reference);

    public Operation? FindOperation(string slug) => _operationsBySlug.GetValueOrDefault(slug);

    /// <summary>The card of a listed notice (the same object every time).</summary>
    public NoticeCard? CardOf(string reference) =>
        _byReference.TryGetValue(reference, out var notice) && Array.BinarySearch(_entries, notice, NameOrder.Instance) is >= 0 and var position
            ? _cards[position]
            : null;

    /// <summary>The notices matching <paramref name="filter"/> that are listed at <paramref name="nowUtc"/>: their number and one page.</summary>
    public CatalogueResult Search(NoticeFilter filter, NoticeSort sort, DateTime nowUtc, int skip, int take)
    {
        var view = ViewAt(nowUtc);
        var matching = Matching(filter, view, DateOnly.FromDateTime(nowUtc));
        if (matching is null)
        {
            // No condition at all: the listed notices themselves, already counted and in name order.
            return sort == NoticeSort.Name
                ? new(view.Positions.Length, [.. view.Positions.Skip(skip).Take(take).Select(p => _entries[p])])
                : new(view.Positions.Length, Page(view.Listed, sort, skip, take));
        }

        var total = BitSet.Count(matching);
        return total == 0 || skip >= total ? new(total, []) : new(total, Page(matching, sort, skip, take));
    }

    /// <summary>Cards for <see cref="Search"/>'s page.</summary>
    public IReadOnlyList<NoticeCard> Cards(IEnumerable<Notice> notices) => [.. notices.Select(n => CardOf(n.Reference)!)];

    /// <summary>The countries and operations worth offering in the filters now: only those with listed notices.</summary>
    public FilterChoices ChoicesAt(DateTime nowUtc)
    {
        var view = ViewAt(nowUtc);
        return view.Choices ??= new FilterChoices(
            [.. view.Positions.SelectMany(p => _entries[p].Nationalities).Distinct().Order(StringComparer.Ordinal)],
            [.. view.Positions.SelectMany(p => _entries[p].Warrants.Select(w => w.IssuingCountry)).Distinct().Order(StringComparer.Ordinal)],
            [.. Operations.OrderBy(o => o.Name, StringComparer.Ordinal).Select(o => (o.Slug, o.Name))]);
    }

    /// <summary>
    /// When any list may last have changed: the latest edit or status change of any notice, or the moment the
    /// latest arrest left the list. The result set's own dates would miss notices that left it.
    /// </summary>
    public DateTime ListLastModifiedAt(DateTime nowUtc)
    {
        var view = ViewAt(nowUtc);
        DateTime?[] candidates = [Version.LastUpdatedUtc, Version.LastStatusChangeUtc, view.ValidFrom == DateTime.MinValue ? null : view.ValidFrom];
        return candidates.Max() ?? DateTime.UnixEpoch;
    }

    /// <summary>A value computed once per copy (a rendered sitemap index), dropped with it.</summary>
    public T Memo<T>(string key, Func<T> compute)
        where T : class => (T)_memo.GetOrAdd(key, _ => compute());

    private ulong[]? Matching(NoticeFilter filter, ListedView view, DateOnly today)
    {
        ulong[]? set = null;
        foreach (var words in new[] { filter.Name, filter.Forename, filter.FamilyName })
        {
            foreach (var word in SearchText.Normalize(words ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!Narrow(ref set, MatchWord(word)))
                {
                    return set;
                }
            }
        }

        (bool Given, ulong[]? Bits)[] indexed =
        [
            (filter.Nationality is not null, filter.Nationality is { } n ? _byNationality.GetValueOrDefault(n) : null),
            (filter.WarrantCountry is not null, filter.WarrantCountry is { } w ? _byWarrantCountry.GetValueOrDefault(w) : null),
            (filter.Operation is not null, filter.Operation is { } o ? _byOperation.GetValueOrDefault(o) : null),
            (filter.Category is not null, filter.Category is { } c ? _byCategory.GetValueOrDefault(c) : null),
            (filter.Sex is not null, filter.Sex is { } s ? _bySex.GetValueOrDefault(s) : null),
            (filter.Status is not null, filter.Status is { } st ? _byStatus.GetValueOrDefault(st) : null),
        ];
        foreach (var (given, bits) in indexed)
        {
            if (given && !Narrow(ref set, bits ?? BitSet.New(_entries.Length)))
            {
                return set;
            }
        }

        if (set is null && filter.AgeMin is null && filter.AgeMax is null)
        {
            return null;
        }

        set ??= (ulong[])view.Listed.Clone();
        if (!BitSet.IntersectWith(set, view.Listed))
        {
            return set;
        }

        if (filter.AgeMin is not null || filter.AgeMax is not null)
        {
            DateOnly? bornOnOrBefore = filter.AgeMin is { } ageMin ? today.AddYears(-ageMin) : null;
            DateOnly? bornAfter = filter.AgeMax is { } ageMax ? today.AddYears(-(ageMax + 1)) : null;
            foreach (var position in BitSet.Positions((ulong[])set.Clone()))
            {
                var born = _entries[position].DateOfBirth;
                if (born is null || born > bornOnOrBefore || born <= bornAfter)
                {
                    BitSet.Clear(set, position);
                }
            }
        }

        return set;
    }

    /// <summary>Intersects <paramref name="set"/> with <paramref name="bits"/> (copying the first, never an index); false when nothing is left.</summary>
    private static bool Narrow(ref ulong[]? set, ulong[] bits)
    {
        if (set is null)
        {
            set = (ulong[])bits.Clone();
            return Array.Exists(set, word => word != 0);
        }

        return BitSet.IntersectWith(set, bits);
    }

    /// <summary>Notices with a name word that starts with <paramref name="word"/>, or that is a known spelling of the same name.</summary>
    private ulong[] MatchWord(string word)
    {
        var bits = BitSet.New(_entries.Length);
        var first = Array.BinarySearch(_words, word, StringComparer.Ordinal);
        for (var i = first >= 0 ? first : ~first; i < _words.Length && _words[i].StartsWith(word, StringComparison.Ordinal); i++)
        {
            foreach (var position in _wordPositions[i])
            {
                BitSet.Set(bits, position);
            }
        }

        if (NameVariants.KeyOf(word) is { } key && _variantPositions.TryGetValue(key, out var variants))
        {
            foreach (var position in variants)
            {
                BitSet.Set(bits, position);
            }
        }

        return bits;
    }

    private List<Notice> Page(ulong[] set, NoticeSort sort, int skip, int take)
    {
        IEnumerable<int> ordered = sort switch
        {
            NoticeSort.Updated => _byUpdated.Where(p => BitSet.Has(set, p)),
            NoticeSort.Age => _byAge.Where(p => BitSet.Has(set, p)),
            _ => BitSet.Positions(set),
        };
        return [.. ordered.Skip(skip).Take(take).Select(p => _entries[p])];
    }

    private ListedView ViewAt(DateTime nowUtc)
    {
        var view = Volatile.Read(ref _view);
        if (view is not null && nowUtc >= view.ValidFrom && nowUtc < view.ValidUntil)
        {
            return view;
        }

        // The listed set only changes when an arrest passes the grace period: compute it once for the
        // whole stretch of time between two such moments.
        var listed = BitSet.New(_entries.Length);
        var positions = new List<int>(_entries.Length);
        DateTime validFrom = DateTime.MinValue, validUntil = DateTime.MaxValue;
        for (var position = 0; position < _entries.Length; position++)
        {
            var notice = _entries[position];
            var shown = _visibility.PageVisibilityOf(true, notice.Status, notice.StatusChangedAtUtc, nowUtc) is PageVisibility.Sought or PageVisibility.NoLongerSought;
            if (shown)
            {
                BitSet.Set(listed, position);
                positions.Add(position);
            }

            if (notice.Status == NoticeStatus.Arrested)
            {
                var leaves = notice.StatusChangedAtUtc + _visibility.ArrestedGracePeriod;
                if (shown && leaves < validUntil)
                {
                    validUntil = leaves;
                }
                else if (!shown && leaves > validFrom)
                {
                    validFrom = leaves;
                }
            }
        }

        view = new ListedView(listed, [.. positions], validFrom, validUntil);
        Volatile.Write(ref _view, view);
        return view;
    }

    private static IEnumerable<string> NameWords(Notice notice) =>
        SearchText.Normalize(string.Join(' ', [notice.FamilyName, notice.Forenames, .. notice.Aliases]))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal);

    private static void Add(Dictionary<string, List<int>> index, string key, int position)
    {
        if (!index.TryGetValue(key, out var positions))
        {
            index[key] = positions = [];
        }

        if (positions.Count == 0 || positions[^1] != position)
        {
            positions.Add(position);
        }
    }

    private static NoticeCard CardOf(Notice n)
    {
        var photo = n.Photos.FirstOrDefault();
        return new NoticeCard(n.Reference, n.FamilyName, n.Forenames, n.DateOfBirth, n.Categories, n.Nationalities, n.Status, n.IsSample, photo?.Id, photo?.AltText);
    }

    private sealed class ListedView(ulong[] listed, int[] positions, DateTime validFrom, DateTime validUntil)
    {
        public ulong[] Listed { get; } = listed;
        public int[] Positions { get; } = positions;
        public DateTime ValidFrom { get; } = validFrom;
        public DateTime ValidUntil { get; } = validUntil;
        public FilterChoices? Choices { get; set; }
    }

    private sealed class NameOrder : IComparer<Notice>
    {
        public static readonly NameOrder Instance = new();

        public int Compare(Notice? x, Notice? y)
        {
            var byFamily = string.CompareOrdinal(x!.FamilyName, y!.FamilyName);
            if (byFamily != 0)
            {
                return byFamily;
            }

            var byForenames = string.CompareOrdinal(x.Forenames, y.Forenames);
            return byForenames != 0 ? byForenames : string.CompareOrdinal(x.Reference, y.Reference);
        }
    }
}

public sealed record CatalogueResult(int Total, IReadOnlyList<Notice> Notices);

/// <summary>
/// A cheap summary of the public tables: when another node saves a change, one of these moves, and this
/// node reloads its copy (<see cref="PublicCatalogue"/>). Counts catch additions and deletions; the
/// latest dates and the sum of statuses catch edits made the usual way.
/// </summary>
public sealed record CatalogueVersion(
    int Notices, int Published, long StatusSum, DateTime? LastUpdatedUtc, DateTime? LastStatusChangeUtc,
    int Photos, int? LastPhotoId, int Warrants, int? LastWarrantId, int Translations, int? LastTranslationId,
    int Operations, int? LastOperationId, int Memberships);
