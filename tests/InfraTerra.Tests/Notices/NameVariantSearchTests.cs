using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;

namespace InfraTerra.Tests.Notices;

/// <summary>A name search finds the usual other spellings of a name, in each of the site's languages.</summary>
public sealed class NameVariantSearchTests : IClassFixture<NameVariantSearchTests.App>
{
    private readonly App _app;

    public NameVariantSearchTests(App app) => _app = app;

    [Theory]
    [InlineData("/notices?q=Mohammed+Youssef", "/notices/2020-00001")]
    [InlineData("/fr/notices?q=mohamed+yousef", "/fr/notices/2020-00001")]
    [InlineData("/es/notices?q=Muhamad+Yusef", "/es/notices/2020-00001")]
    [InlineData("/ar/notices?q=%D9%85%D8%AD%D9%85%D8%AF", "/ar/notices/2020-00001")]
    [InlineData("/notices?q=Alexander", "/notices/2020-00002")]
    [InlineData("/fr/notices?q=Alexandre+Wolkow", "/fr/notices/2020-00002")]
    [InlineData("/es/notices?q=Alejandro", "/es/notices/2020-00002")]
    [InlineData("/ar/notices?q=nguyen+duc", "/ar/notices/2020-00003")]
    [InlineData("/notices?q=dang+nguy", "/notices/2020-00003")]
    public async Task Variant_FindsTheNotice(string search, string link) =>
        Assert.Contains($"href=\"{link}\"", await _app.CreateClient().GetStringAsync(search), StringComparison.Ordinal);

    [Theory]
    [InlineData("/notices?q=Joseph")]
    [InlineData("/notices?q=Mahmoud")]
    [InlineData("/notices?q=ammed")]
    public async Task OtherNames_AndWordMiddles_DoNotMatch(string search) =>
        Assert.DoesNotContain("href=\"/notices/2020-0000", await _app.CreateClient().GetStringAsync(search), StringComparison.Ordinal);

    public sealed class App : AppFactory
    {
        public App()
        {
            ScopedAsync(async db =>
            {
                var now = DateTime.UtcNow;
                foreach (var (reference, family, forenames, aliases) in new[]
                {
                    ("2020-00001", "Al-Rashid", "Muhammad Yusuf", new List<string> { "محمد يوسف الراشد" }),
                    ("2020-00002", "Volkov", "Aleksandr", new List<string> { "Wolkow" }),
                    ("2020-00003", "Nguyễn", "Văn Đức Đặng", new List<string>()),
                })
                {
                    var notice = new Notice
                    {
                        Reference = reference,
                        FamilyName = family,
                        Forenames = forenames,
                        Aliases = aliases,
                        Sex = Sex.Male,
                        Nationalities = ["JO"],
                        Summary = "Test notice.",
                        IsPublished = true,
                        Status = NoticeStatus.Wanted,
                        UpdatedAtUtc = now,
                        StatusChangedAtUtc = now,
                    };
                    notice.RefreshSearchName();
                    db.Notices.Add(notice);
                }

                return await db.SaveChangesAsync();
            }).GetAwaiter().GetResult();
        }
    }
}
