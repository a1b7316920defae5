using System.Collections.Concurrent;
using System.Linq.Expressions;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Catalogue;

/// <summary>
/// The count behind a search by name alone (what visitors type, and what a client that busts the output
/// cache sends), as a compiled query. EF Core otherwise rebuilds, hashes and parameterizes the query's
/// expression tree on every request; skipping that cut a fresh search's CPU time by a quarter
/// (bench/README.md). Other filter combinations go through <see cref="NoticeFilterQuery.Matching"/>.
/// </summary>
public static class NameSearchCount
{
    public const int MaxWords = 3;

    // One compiled query per provider's context: EF Core keeps the first SQL it translates in the compiled
    // delegate, so a SQLite translation must never be run against PostgreSQL (the tests use both in one process).
    private static readonly ConcurrentDictionary<Type, Func<AppDbContext, DateTime, string?, string?, string?, CancellationToken, Task<int>>> Queries = new();

    /// <summary>The number of listed notices that match, or null when the filter is more than a name of at most <see cref="MaxWords"/> words.</summary>
    public static Task<int>? TryCount(AppDbContext db, NoticeVisibility visibility, NoticeFilter filter, DateTime nowUtc, CancellationToken cancellationToken)
    {
        if (filter with { Name = null } != new NoticeFilter())
        {
            return null;
        }

        var words = SearchText.Normalize(filter.Name ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length > MaxWords)
        {
            return null;
        }

        var query = Queries.GetOrAdd(db.GetType(), _ => EF.CompileAsyncQuery(Build()));
        return query(db, visibility.ArrestedCutoff(nowUtc), words.ElementAtOrDefault(0), words.ElementAtOrDefault(1), words.ElementAtOrDefault(2), cancellationToken);
    }

    /// <summary>
    /// (db, cutoff, w1, w2, w3, ct) => db.Notices.Count(n => ListedSince(n, cutoff) &amp;&amp; each given word is in n.SearchName),
    /// built from <see cref="NoticeVisibility.ListedSince"/> so the listing rule stays written once. A missing word is
    /// null, and EF Core drops its condition from the SQL.
    /// </summary>
    private static Expression<Func<AppDbContext, DateTime, string?, string?, string?, CancellationToken, int>> Build()
    {
        var db = Expression.Parameter(typeof(AppDbContext), "db");
        var cutoff = Expression.Parameter(typeof(DateTime), "arrestedCutoff");
        ParameterExpression[] words = [.. Enumerable.Range(1, MaxWords).Select(i => Expression.Parameter(typeof(string), "word" + i))];
        var cancellationToken = Expression.Parameter(typeof(CancellationToken), "cancellationToken");
        var notice = NoticeVisibility.ListedSince.Parameters[0];

        Expression<Func<Notice, string?, bool>> hasWord = (n, word) => word == null || n.SearchName.Contains(word);
        var predicate = new Substitution(NoticeVisibility.ListedSince.Parameters[1], cutoff).Visit(NoticeVisibility.ListedSince.Body);
        foreach (var word in words)
        {
            var condition = new Substitution(hasWord.Parameters[0], notice).Visit(new Substitution(hasWord.Parameters[1], word).Visit(hasWord.Body));
            predicate = Expression.AndAlso(predicate, condition);
        }

        var count = Expression.Call(
            typeof(Queryable), nameof(Queryable.Count), [typeof(Notice)],
            Expression.Property(db, nameof(AppDbContext.Notices)),
            Expression.Quote(Expression.Lambda<Func<Notice, bool>>(predicate, notice)));
        return Expression.Lambda<Func<AppDbContext, DateTime, string?, string?, string?, CancellationToken, int>>(
            count, [db, cutoff, .. words, cancellationToken]);
    }
}
