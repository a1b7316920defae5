using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Tests.Api;

public sealed partial class NoticesApiTests(SharedApp factory) : IClassFixture<SharedApp>
{
    private const string Api = "/api/v1/notices";
    private const string Interpol = "/notices/v1/red";
    private const string Origin = "http://localhost";

    private static readonly string[] Everyone = [.. Enumerable.Range(90001, 10).Select(n => $"2014/{n}")];

    private static readonly string[] InterpolDetailFields =
    [
        "entity_id", "forename", "name", "date_of_birth", "sex_id", "nationalities", "country_of_birth_id",
        "place_of_birth", "height", "weight", "eyes_colors_id", "hairs_id", "distinguishing_marks",
        "languages_spoken_ids", "arrest_warrants", "_links",
    ];

    // ---- List and filters ----

    [Fact]
    public async Task List_WithoutParameters_ReturnsEveryListedNoticeInInterpolsShape()
    {
        var response = await factory.CreateClient().GetAsync(Api);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        var root = await JsonOf(response);
        Assert.Equal(10, root.GetProperty("total").GetInt32());
        Assert.Equal("""{"page":1,"resultPerPage":20}""", root.GetProperty("query").GetRawText());
        Assert.Equal(Everyone.Order(StringComparer.Ordinal), EntityIds(root).Order(StringComparer.Ordinal));
        foreach (var notice in Notices(root))
        {
            var entityId = notice.GetProperty("entity_id").GetString()!;
            var urlId = entityId.Replace('/', '-');
            Assert.Matches(DatePattern(), notice.GetProperty("date_of_birth").GetString());
            Assert.False(string.IsNullOrEmpty(notice.GetProperty("forename").GetString()));
            Assert.False(string.IsNullOrEmpty(notice.GetProperty("name").GetString()));
            Assert.NotEqual(0, notice.GetProperty("nationalities").GetArrayLength());
            Assert.True(notice.GetProperty("is_sample").GetBoolean());
            var links = notice.GetProperty("_links");
            Assert.Equal($"{Origin}{Api}/{urlId}", Href(links, "self"));
            Assert.Equal($"{Origin}{Api}/{urlId}/images", Href(links, "images"));
            Assert.Matches($"^{Regex.Escape($"{Origin}/notices/{urlId}/photos/")}[0-9]+/thumbnail$", Href(links, "thumbnail"));
        }
    }

    [Fact]
    public async Task List_IsSortedByFamilyNameThenForenames()
    {
        var root = await GetJsonAsync(Api);

        var names = Notices(root).Select(n => n.GetProperty("name").GetString()!).ToList();
        Assert.Equal("Ahmadou-Kébé", names[0]);
        Assert.Equal("Železný", names[^1]);
    }

    public static TheoryData<string, string[]> Filters => new()
    {
        { "forename=Quentin", ["2014/90002"] },
        { "forename=tobias", ["2014/90007"] },
        { "name=Ondrako", ["2014/90001"] },
        { "name=zelezny", ["2014/90005"] },
        { "freeText=broker", ["2014/90001"] },
        { "freeText=ashby%20QUENTIN", ["2014/90002"] },
        { "freeText=nobody-by-this-name", [] },
        { "nationality=KE", ["2014/90001"] },
        { "nationality=tz", ["2014/90001"] },
        { "nationality=PT", ["2014/90004"] },
        { "arrestWarrantCountryId=MG", ["2014/90005"] },
        { "arrestWarrantCountryId=it", ["2014/90009"] },
        { "sexId=F", ["2014/90003", "2014/90006", "2014/90008", "2014/90010"] },
        { "sexId=m", ["2014/90001", "2014/90002", "2014/90004", "2014/90005", "2014/90007", "2014/90009"] },
        { "sexId=U", [] },
        { "category=fisheries", ["2014/90006", "2014/90007"] },
        { "category=Other", ["2014/90005", "2014/90010"] },
        { "operation=infra-terra", Everyone },
        { "operation=no-such-operation", [] },
        { "status=located", ["2014/90010"] },
        { "status=arrested", [] },
        { "sexId=M&category=wildlife", ["2014/90001", "2014/90002"] },
        { "nationality=KE&sexId=F", [] },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task List_EachFilter_NarrowsToTheMatchingNotices(string query, string[] expected)
    {
        var root = await GetJsonAsync($"{Api}?{query}");

        Assert.Equal(expected.Order(StringComparer.Ordinal), EntityIds(root).Order(StringComparer.Ordinal));
        Assert.Equal(expected.Length, root.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData(50, null)]
    [InlineData(null, 50)]
    [InlineData(45, 55)]
    public async Task List_AgeRange_KeepsThoseWhoseAgeTodayIsInside(int? ageMin, int? ageMax)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var born = factory.Scoped(db => db.Notices.Select(n => new { n.Reference, n.DateOfBirth }).ToList());
        var expected = born
            .Where(n => Notice.AgeOf(n.DateOfBirth, today) is { } age && age >= (ageMin ?? 0) && age <= (ageMax ?? 200))
            .Select(n => n.Reference.Replace('-', '/')).Order(StringComparer.Ordinal).ToList();
        Assert.InRange(expected.Count, 1, 9);
        var query = string.Join('&', new[] { ("ageMin", ageMin), ("ageMax", ageMax) }.Where(p => p.Item2 is not null).Select(p => $"{p.Item1}={p.Item2}"));

        var root = await GetJsonAsync($"{Api}?{query}");

        Assert.Equal(expected, EntityIds(root).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task List_EchoesTheQueryWithNormalizedValues()
    {
        var root = await GetJsonAsync($"{Api}?nationality=tz&sexId=m&ageMin=30&category=Wildlife&freeText=Amani&resultPerPage=5&unknownParameter=1");

        Assert.Equal(
            """{"page":1,"resultPerPage":5,"nationality":"TZ","ageMin":30,"freeText":"Amani","sexId":"M","category":"wildlife"}""",
            root.GetProperty("query").GetRawText());
        Assert.Equal(["2014/90001"], EntityIds(root));
    }

    // ---- Paging ----

    [Fact]
    public async Task List_FirstPage_LinksToNextAndLastButHasNoPrevious()
    {
        var root = await GetJsonAsync($"{Api}?resultPerPage=3");

        Assert.Equal(10, root.GetProperty("total").GetInt32());
        Assert.Equal(3, Notices(root).Count);
        var links = root.GetProperty("_links");
        Assert.Equal($"{Origin}{Api}?page=1&resultPerPage=3", Href(links, "self"));
        Assert.Equal($"{Origin}{Api}?page=1&resultPerPage=3", Href(links, "first"));
        Assert.Equal($"{Origin}{Api}?page=2&resultPerPage=3", Href(links, "next"));
        Assert.Equal($"{Origin}{Api}?page=4&resultPerPage=3", Href(links, "last"));
        Assert.False(links.TryGetProperty("prev", out _));
    }

    [Fact]
    public async Task List_FollowingNextLinks_VisitsEveryNoticeOnceInOrder()
    {
        var client = factory.CreateClient();
        var all = EntityIds(await GetJsonAsync(Api));
        var seen = new List<string>();
        var pages = 0;
        string? previousSelf = null;
        string? url = $"{Api}?resultPerPage=3";

        while (url is not null)
        {
            var root = await GetJsonAsync(url, client);
            pages++;
            var links = root.GetProperty("_links");
            Assert.Equal(pages, root.GetProperty("query").GetProperty("page").GetInt32());
            Assert.Equal(previousSelf, links.TryGetProperty("prev", out var prev) ? prev.GetProperty("href").GetString() : null);
            Assert.Equal($"{Origin}{Api}?page=4&resultPerPage=3", Href(links, "last"));
            seen.AddRange(EntityIds(root));
            previousSelf = Href(links, "self");
            url = links.TryGetProperty("next", out var next) ? next.GetProperty("href").GetString() : null;
        }

        Assert.Equal(4, pages);
        Assert.Equal(all, seen);
    }

    [Fact]
    public async Task List_LastPage_HasTheRemainderAndNoNext()
    {
        var root = await GetJsonAsync($"{Api}?page=4&resultPerPage=3");

        Assert.Single(Notices(root));
        var links = root.GetProperty("_links");
        Assert.Equal($"{Origin}{Api}?page=3&resultPerPage=3", Href(links, "prev"));
        Assert.False(links.TryGetProperty("next", out _));
    }

    [Fact]
    public async Task List_PageBeyondTheEnd_IsEmptyAndLeadsBackToTheLastPage()
    {
        var root = await GetJsonAsync($"{Api}?page=9&resultPerPage=3");

        Assert.Empty(Notices(root));
        Assert.Equal(10, root.GetProperty("total").GetInt32());
        var links = root.GetProperty("_links");
        Assert.Equal($"{Origin}{Api}?page=4&resultPerPage=3", Href(links, "prev"));
        Assert.Equal($"{Origin}{Api}?page=4&resultPerPage=3", Href(links, "last"));
        Assert.False(links.TryGetProperty("next", out _));
    }

    [Theory]
    [InlineData(1, 1, 10)]
    [InlineData(160, 10, 1)]
    public async Task List_ResultPerPage_AtItsLimits_IsAccepted(int resultPerPage, int expectedOnPage, int expectedLastPage)
    {
        var root = await GetJsonAsync($"{Api}?resultPerPage={resultPerPage}");

        Assert.Equal(expectedOnPage, Notices(root).Count);
        Assert.Equal($"{Origin}{Api}?page={expectedLastPage}&resultPerPage={resultPerPage}", Href(root.GetProperty("_links"), "last"));
    }

    [Fact]
    public async Task List_PagingLinks_KeepTheFilters()
    {
        var client = factory.CreateClient();
        var first = await GetJsonAsync($"{Api}?sexId=M&resultPerPage=2", client);
        var next = Href(first.GetProperty("_links"), "next");
        Assert.Equal($"{Origin}{Api}?sexId=M&page=2&resultPerPage=2", next);

        var second = await GetJsonAsync(next, client);

        Assert.Equal(6, second.GetProperty("total").GetInt32());
        Assert.Equal(2, Notices(second).Count);
        Assert.Empty(EntityIds(first).Intersect(EntityIds(second)));
        Assert.Equal($"{Origin}{Api}?sexId=M&page=3&resultPerPage=2", Href(second.GetProperty("_links"), "last"));
    }

    // ---- Errors ----

    private static readonly string Overlong = new('a', 101);

    public static TheoryData<string, string> BadParameters => new()
    {
        { "resultPerPage=0", "resultPerPage" },
        { "resultPerPage=161", "resultPerPage" },
        { "resultPerPage=-5", "resultPerPage" },
        { "resultPerPage=ten", "resultPerPage" },
        { "page=0", "page" },
        { "page=-1", "page" },
        { "page=two", "page" },
        { "page=1&page=2", "page" },
        { "ageMin=-1", "ageMin" },
        { "ageMin=121", "ageMin" },
        { "ageMax=old", "ageMax" },
        { "ageMax=200", "ageMax" },
        { "ageMin=50&ageMax=40", "ageMin" },
        { "nationality=XX", "nationality" },
        { "nationality=KEN", "nationality" },
        { "arrestWarrantCountryId=ZZ", "arrestWarrantCountryId" },
        { "sexId=X", "sexId" },
        { "sexId=male", "sexId" },
        { "category=poaching", "category" },
        { "category=1", "category" },
        { "status=fugitive", "status" },
        { "operation=infra%20terra", "operation" },
        { "operation=%3Cscript%3E", "operation" },
        { $"forename={Overlong}", "forename" },
        { $"name={Overlong}", "name" },
        { $"freeText={Overlong}", "freeText" },
        { "name=a%01b", "name" },
        { "freeText=%07", "freeText" },
        { "forename=a%0Ab", "forename" },
    };

    [Theory]
    [MemberData(nameof(BadParameters))]
    public async Task List_BadParameter_Answers400ProblemNamingIt(string query, string parameter)
    {
        foreach (var root in new[] { Api, Interpol })
        {
            var response = await factory.CreateClient().GetAsync($"{root}?{query}");

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await ProblemOf(response);
            Assert.Equal(400, problem.GetProperty("status").GetInt32());
            Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
            var errors = problem.GetProperty("errors");
            Assert.Equal([parameter], errors.EnumerateObject().Select(e => e.Name));
            var message = Assert.Single(errors.GetProperty(parameter).EnumerateArray()).GetString();
            Assert.False(string.IsNullOrWhiteSpace(message));
        }
    }

    [Fact]
    public async Task List_SeveralBadParameters_AreAllNamed()
    {
        var response = await factory.CreateClient().GetAsync($"{Api}?resultPerPage=161&sexId=X&nationality=XX&page=1");

        var problem = await ProblemOf(response);
        Assert.Equal(
            ["nationality", "resultPerPage", "sexId"],
            problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Contains("160", problem.GetProperty("errors").GetProperty("resultPerPage")[0].GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Api + "/2099-00000")]
    [InlineData(Api + "/2099-00000/images")]
    [InlineData(Api + "/2014%2F90001")]
    [InlineData(Api + "/%3Cscript%3E")]
    [InlineData(Interpol + "/2099-00000")]
    [InlineData(Interpol + "/2099-00000/images")]
    public async Task UnknownId_Answers404Problem(string path)
    {
        var response = await factory.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await ProblemOf(response);
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.DoesNotContain("<script>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Visibility_WithdrawnAndExpiredAnswer410_UnpublishedAnswers404_RecentArrestStaysListed()
    {
        using var own = new AppFactory();
        var now = DateTime.UtcNow;
        await SetStatusAsync(own, "2014-90009", NoticeStatus.Withdrawn, now);
        await SetStatusAsync(own, "2014-90008", NoticeStatus.Arrested, now.AddDays(-31));
        await SetStatusAsync(own, "2014-90007", NoticeStatus.Arrested, now.AddDays(-1));
        await own.ScopedAsync(db => db.Notices.Where(n => n.Reference == "2014-90006").ExecuteUpdateAsync(s => s.SetProperty(n => n.IsPublished, false)));
        var client = own.CreateClient();

        foreach (var root in new[] { Api, Interpol })
        {
            foreach (var suffix in new[] { "", "/images" })
            {
                await AssertProblemAsync(client, $"{root}/2014-90009{suffix}", HttpStatusCode.Gone);
                await AssertProblemAsync(client, $"{root}/2014-90008{suffix}", HttpStatusCode.Gone);
                await AssertProblemAsync(client, $"{root}/2014-90006{suffix}", HttpStatusCode.NotFound);
            }
        }

        var arrested = await GetJsonAsync($"{Api}/2014-90007", client);
        Assert.Equal("arrested", arrested.GetProperty("status").GetString());
        var list = await GetJsonAsync(Api, client);
        Assert.Equal(7, list.GetProperty("total").GetInt32());
        Assert.Equal(
            Everyone.Except(["2014/90009", "2014/90008", "2014/90006"]).Order(StringComparer.Ordinal),
            EntityIds(list).Order(StringComparer.Ordinal));
        Assert.Equal(["2014/90007"], EntityIds(await GetJsonAsync($"{Api}?status=arrested", client)));
        Assert.Empty(EntityIds(await GetJsonAsync($"{Api}?status=withdrawn", client)));
    }

    // ---- Detail ----

    [Fact]
    public async Task Detail_HasEveryInterpolFieldInItsFormat()
    {
        var response = await factory.CreateClient().GetAsync($"{Api}/2014-90001");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var n = await JsonOf(response);
        Assert.Equal("2014/90001", n.GetProperty("entity_id").GetString());
        Assert.Equal("Fëisal Amani", n.GetProperty("forename").GetString());
        Assert.Equal("Ondrako", n.GetProperty("name").GetString());
        Assert.Equal("1971/03/14", n.GetProperty("date_of_birth").GetString());
        Assert.Equal("M", n.GetProperty("sex_id").GetString());
        Assert.Equal(["KE", "TZ"], Strings(n, "nationalities"));
        Assert.Equal("KE", n.GetProperty("country_of_birth_id").GetString());
        Assert.Equal("Mombasa", n.GetProperty("place_of_birth").GetString());
        Assert.Equal(JsonValueKind.Number, n.GetProperty("height").ValueKind);
        Assert.Equal(1.82, n.GetProperty("height").GetDouble());
        Assert.Equal("88", n.GetProperty("weight").GetRawText());
        Assert.Equal(["BRO"], Strings(n, "eyes_colors_id"));
        Assert.Equal(["BLA"], Strings(n, "hairs_id"));
        Assert.Equal("Scar across the left eyebrow", n.GetProperty("distinguishing_marks").GetString());
        Assert.Equal(["ENG", "SWA"], Strings(n, "languages_spoken_ids"));
        var warrant = Assert.Single(n.GetProperty("arrest_warrants").EnumerateArray());
        Assert.Equal("KE", warrant.GetProperty("issuing_country_id").GetString());
        Assert.Equal("Leading an organised ivory-smuggling network", warrant.GetProperty("charge").GetString());
        Assert.Equal(JsonValueKind.Null, warrant.GetProperty("charge_translation").ValueKind);
        var links = n.GetProperty("_links");
        Assert.Equal($"{Origin}{Api}/2014-90001", Href(links, "self"));
        Assert.Equal($"{Origin}{Api}/2014-90001/images", Href(links, "images"));
        Assert.Matches($"^{Regex.Escape($"{Origin}/notices/2014-90001/photos/")}[0-9]+/thumbnail$", Href(links, "thumbnail"));
    }

    [Fact]
    public async Task Detail_HasInfraTerrasFieldsAlongside()
    {
        var n = await GetJsonAsync($"{Api}/2014-90001");

        Assert.Equal("May be armed. Do not approach.", n.GetProperty("caution").GetString());
        Assert.StartsWith("SAMPLE DATA. A fictional reward", n.GetProperty("reward").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("SAMPLE DATA.", n.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal("wanted", n.GetProperty("status").GetString());
        Assert.Equal(["wildlife"], Strings(n, "categories"));
        Assert.Equal(["infra-terra"], Strings(n, "operations"));
        Assert.Equal(["Faisal Ondraco", "The Broker"], Strings(n, "aliases"));
        Assert.True(n.GetProperty("is_sample").GetBoolean());
        var updated = factory.Scoped(db => db.Notices.Single(x => x.Reference == "2014-90001").UpdatedAtUtc);
        Assert.Equal(updated.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), n.GetProperty("last_updated").GetString());
    }

    [Fact]
    public async Task Detail_OfEveryNotice_HasEveryInterpolFieldEvenWhenUnknown()
    {
        var client = factory.CreateClient();
        foreach (var entityId in Everyone)
        {
            var n = await GetJsonAsync($"{Api}/{entityId.Replace('/', '-')}", client);

            Assert.All(InterpolDetailFields, field => Assert.True(n.TryGetProperty(field, out _), $"{entityId} lacks {field}"));
            Assert.Matches(DatePattern(), n.GetProperty("date_of_birth").GetString());
            Assert.Contains(n.GetProperty("sex_id").GetString(), new[] { "F", "M", "U" });
        }

        var noMeasurements = await GetJsonAsync($"{Api}/2014-90005", client);
        Assert.Equal(JsonValueKind.Null, noMeasurements.GetProperty("height").ValueKind);
        Assert.Equal(JsonValueKind.Null, noMeasurements.GetProperty("weight").ValueKind);
        Assert.Equal(JsonValueKind.Null, noMeasurements.GetProperty("distinguishing_marks").ValueKind);
        Assert.Equal(JsonValueKind.Null, noMeasurements.GetProperty("caution").ValueKind);
        Assert.Equal("F", (await GetJsonAsync($"{Api}/2014-90010", client)).GetProperty("sex_id").GetString());
        Assert.Equal("located", (await GetJsonAsync($"{Api}/2014-90010", client)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Detail_ChargeInAnotherLanguage_CarriesItsTranslation()
    {
        var n = await GetJsonAsync($"{Api}/2014-90004");

        var warrant = Assert.Single(n.GetProperty("arrest_warrants").EnumerateArray());
        Assert.Equal("BR", warrant.GetProperty("issuing_country_id").GetString());
        Assert.Equal("Exploração ilegal de madeira em floresta protegida", warrant.GetProperty("charge").GetString());
        Assert.Equal("Illegal logging in a protected forest", warrant.GetProperty("charge_translation").GetString());
    }

    [Fact]
    public async Task Json_IsUtf8WithCharactersNotEscapes()
    {
        var response = await factory.CreateClient().GetAsync($"{Api}/2014-90001");

        var bytes = await response.Content.ReadAsByteArrayAsync();
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        Assert.Contains("\"forename\":\"Fëisal Amani\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u00EB", text, StringComparison.OrdinalIgnoreCase);
        var list = await factory.CreateClient().GetStringAsync($"{Api}?resultPerPage=3");
        Assert.Contains("?page=2&resultPerPage=3\"", list, StringComparison.Ordinal);
    }

    // ---- Images ----

    [Fact]
    public async Task Images_ListsEachPictureWithAHrefThatReturnsIt()
    {
        var client = factory.CreateClient();
        var photoIds = factory.Scoped(db => db.NoticePhotos
            .Where(p => db.Notices.Any(n => n.Id == p.NoticeId && n.Reference == "2014-90001"))
            .OrderBy(p => p.Id).Select(p => p.Id).ToList());
        Assert.Equal(2, photoIds.Count);

        var root = await GetJsonAsync($"{Api}/2014-90001/images", client);

        var images = root.GetProperty("_embedded").GetProperty("images").EnumerateArray().ToList();
        Assert.Equal(photoIds.Select(id => id.ToString(CultureInfo.InvariantCulture)), images.Select(i => i.GetProperty("picture_id").GetString()));
        foreach (var image in images)
        {
            var href = Href(image.GetProperty("_links"), "self");
            Assert.Equal($"{Origin}/notices/2014-90001/photos/{image.GetProperty("picture_id").GetString()}", href);
            var picture = await client.GetAsync(href);
            Assert.Equal(HttpStatusCode.OK, picture.StatusCode);
            Assert.StartsWith("image/", picture.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
            Assert.NotEmpty(await picture.Content.ReadAsByteArrayAsync());
        }

        var links = root.GetProperty("_links");
        Assert.Equal($"{Origin}{Api}/2014-90001/images", Href(links, "self"));
        Assert.Equal($"{Origin}{Api}/2014-90001", Href(links, "notice"));
        Assert.Equal($"{Origin}/notices/2014-90001/photos/{photoIds[0]}/thumbnail", Href(links, "thumbnail"));
        var thumbnail = await client.GetAsync(Href(links, "thumbnail"));
        Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
        Assert.Equal("image/jpeg", thumbnail.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ThumbnailLinks_InListAndDetail_ReturnTheFirstPicturesThumbnail()
    {
        var client = factory.CreateClient();
        var detail = await GetJsonAsync($"{Api}/2014-90001", client);
        var listed = Notices(await GetJsonAsync($"{Api}?name=Ondrako", client)).Single();

        var href = Href(detail.GetProperty("_links"), "thumbnail");
        Assert.Equal(href, Href(listed.GetProperty("_links"), "thumbnail"));
        var thumbnail = await client.GetAsync(href);
        Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
        Assert.Equal("image/jpeg", thumbnail.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData(Api)]
    [InlineData(Interpol)]
    public async Task PictureUrl_BuiltTheInterpolWay_LeadsToThePicture(string root)
    {
        var images = await GetJsonAsync($"{Api}/2014-90002/images");
        var image = Assert.Single(images.GetProperty("_embedded").GetProperty("images").EnumerateArray());
        var pictureId = image.GetProperty("picture_id").GetString();
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync($"{root}/2014-90002/images/{pictureId}");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal(Href(image.GetProperty("_links"), "self"), response.Headers.Location?.ToString());
        var picture = await factory.CreateClient().GetAsync($"{root}/2014-90002/images/{pictureId}");
        Assert.Equal(HttpStatusCode.OK, picture.StatusCode);
        Assert.StartsWith("image/", picture.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
    }

    // ---- INTERPOL's paths ----

    [Theory]
    [InlineData("", "")]
    [InlineData("?sexId=F&resultPerPage=2&page=2", "?sexId=F&resultPerPage=2&page=2")]
    [InlineData("?forename=radek&nationality=cz", "?forename=radek&nationality=cz")]
    [InlineData("/2014-90001", "/2014-90001")]
    [InlineData("/2014-90001/images", "/2014-90001/images")]
    public async Task InterpolPaths_ReturnTheSameDocument(string apiSuffix, string interpolSuffix)
    {
        var client = factory.CreateClient();

        var ours = await client.GetAsync(Api + apiSuffix);
        var theirs = await client.GetAsync(Interpol + interpolSuffix);

        Assert.Equal(HttpStatusCode.OK, ours.StatusCode);
        Assert.Equal(HttpStatusCode.OK, theirs.StatusCode);
        Assert.Equal(await ours.Content.ReadAsStringAsync(), await theirs.Content.ReadAsStringAsync());
        Assert.Equal(ours.Headers.ETag, theirs.Headers.ETag);
        Assert.Equal(ours.Content.Headers.ContentType?.ToString(), theirs.Content.Headers.ContentType?.ToString());
    }

    // ---- Caching headers ----

    public static TheoryData<string> Resources => new()
    {
        Api,
        $"{Api}?category=timber&resultPerPage=1",
        $"{Api}/2014-90003",
        $"{Api}/2014-90003/images",
        Interpol,
        $"{Interpol}/2014-90003",
    };

    [Theory]
    [MemberData(nameof(Resources))]
    public async Task Success_CarriesETagAndLastModified(string path)
    {
        var response = await factory.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(response.Headers.ETag);
        Assert.NotNull(response.Content.Headers.LastModified);
        Assert.InRange(response.Content.Headers.LastModified!.Value, DateTimeOffset.UnixEpoch.AddYears(30), DateTimeOffset.UtcNow);
        Assert.True(response.Headers.CacheControl?.NoCache, "clients must revalidate");
    }

    [Theory]
    [MemberData(nameof(Resources))]
    public async Task IfNoneMatch_WithTheCurrentETag_Answers304(string path)
    {
        var client = factory.CreateClient();
        var first = await client.GetAsync(path);
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';

        // The same URL is answered by the output cache; an extra ignored parameter misses it and reaches the endpoint.
        foreach (var url in new[] { path, $"{path}{separator}cacheMiss={Guid.NewGuid():N}" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
            var response = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
            Assert.Equal(first.Headers.ETag, response.Headers.ETag);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }
    }

    [Theory]
    [MemberData(nameof(Resources))]
    public async Task IfNoneMatch_WithAnotherETag_AnswersTheDocument(string path)
    {
        var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}cacheMiss={Guid.NewGuid():N}");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"not-the-current-one\""));

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [MemberData(nameof(Resources))]
    public async Task IfModifiedSince_AnswersNotModifiedFromLastModifiedOn(string path)
    {
        var client = factory.CreateClient();
        var lastModified = (await client.GetAsync(path)).Content.Headers.LastModified!.Value;
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';

        foreach (var url in new[] { path, $"{path}{separator}cacheMiss={Guid.NewGuid():N}" })
        {
            using var same = new HttpRequestMessage(HttpMethod.Get, url);
            same.Headers.IfModifiedSince = lastModified;
            Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(same)).StatusCode);

            using var earlier = new HttpRequestMessage(HttpMethod.Get, url);
            earlier.Headers.IfModifiedSince = lastModified.AddSeconds(-1);
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(earlier)).StatusCode);
        }
    }

    [Fact]
    public async Task Detail_LastModified_IsTheNoticesLastChange()
    {
        var notice = factory.Scoped(db => db.Notices.AsNoTracking().Single(n => n.Reference == "2014-90004"));
        var lastChange = notice.UpdatedAtUtc > notice.StatusChangedAtUtc ? notice.UpdatedAtUtc : notice.StatusChangedAtUtc;

        var response = await factory.CreateClient().GetAsync($"{Api}/2014-90004");

        Assert.Equal(TruncateToSeconds(lastChange), response.Content.Headers.LastModified!.Value.UtcDateTime);
    }

    [Fact]
    public async Task ChangingANotice_RefreshesTheCachedDocumentsAndTheirETags()
    {
        using var own = new AppFactory();
        var client = own.CreateClient();
        var list = await client.GetAsync($"{Api}?nationality=KE");
        var detail = await client.GetAsync($"{Api}/2014-90001");

        // A bulk update bypasses the change tracker, so the output cache keeps serving what it has.
        await own.ScopedAsync(db => db.Notices.Where(n => n.Reference == "2014-90001")
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.Caution, "Changed behind the cache's back")));
        var cached = await client.GetAsync($"{Api}/2014-90001");
        Assert.Equal(detail.Headers.ETag, cached.Headers.ETag);

        await own.ScopedAsync(async db =>
        {
            var notice = await db.Notices.SingleAsync(n => n.Reference == "2014-90001");
            notice.FamilyName = "Ondrakova";
            notice.UpdatedAtUtc = DateTime.UtcNow;
            notice.RefreshSearchName();
            return await db.SaveChangesAsync();
        });

        using var listAgain = new HttpRequestMessage(HttpMethod.Get, $"{Api}?nationality=KE");
        listAgain.Headers.IfNoneMatch.Add(list.Headers.ETag!);
        var newList = await client.SendAsync(listAgain);
        Assert.Equal(HttpStatusCode.OK, newList.StatusCode);
        Assert.NotEqual(list.Headers.ETag, newList.Headers.ETag);
        Assert.Equal("Ondrakova", Notices(await JsonOf(newList)).Single().GetProperty("name").GetString());

        using var detailAgain = new HttpRequestMessage(HttpMethod.Get, $"{Api}/2014-90001");
        detailAgain.Headers.IfNoneMatch.Add(detail.Headers.ETag!);
        var newDetail = await client.SendAsync(detailAgain);
        Assert.Equal(HttpStatusCode.OK, newDetail.StatusCode);
        Assert.Equal("Changed behind the cache's back", (await JsonOf(newDetail)).GetProperty("caution").GetString());
    }

    [Fact]
    public async Task List_LastModified_MovesWhenANoticeLeavesTheList()
    {
        using var own = new AppFactory();
        var anHourAgo = DateTime.UtcNow.AddHours(-1);
        await own.ScopedAsync(db => db.Notices.ExecuteUpdateAsync(s => s
            .SetProperty(n => n.UpdatedAtUtc, anHourAgo).SetProperty(n => n.StatusChangedAtUtc, anHourAgo)));
        var client = own.CreateClient();
        var before = await client.GetAsync($"{Api}?sexId=F");
        Assert.Equal(TruncateToSeconds(anHourAgo), before.Content.Headers.LastModified!.Value.UtcDateTime);

        await own.ScopedAsync(async db =>
        {
            var notice = await db.Notices.SingleAsync(n => n.Reference == "2014-90003");
            notice.Status = NoticeStatus.Withdrawn;
            notice.StatusChangedAtUtc = DateTime.UtcNow;
            return await db.SaveChangesAsync();
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Api}?sexId=F");
        request.Headers.IfModifiedSince = before.Content.Headers.LastModified;
        var after = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.True(after.Content.Headers.LastModified > before.Content.Headers.LastModified);
        Assert.DoesNotContain("2014/90003", EntityIds(await JsonOf(after)));
    }

    [Fact]
    public async Task List_LastModified_IsWhenTheLatestArrestLeftTheList()
    {
        using var own = new AppFactory();
        var now = DateTime.UtcNow;
        await own.ScopedAsync(db => db.Notices.ExecuteUpdateAsync(s => s
            .SetProperty(n => n.UpdatedAtUtc, now.AddDays(-40)).SetProperty(n => n.StatusChangedAtUtc, now.AddDays(-40))));
        await SetStatusAsync(own, "2014-90002", NoticeStatus.Arrested, now.AddDays(-31));

        var response = await own.CreateClient().GetAsync(Api);

        Assert.Equal(TruncateToSeconds(now.AddDays(-1)), response.Content.Headers.LastModified!.Value.UtcDateTime);
        Assert.DoesNotContain("2014/90002", EntityIds(await JsonOf(response)));
    }

    // ---- Cookies ----

    [Theory]
    [InlineData(Api)]
    [InlineData(Api + "?resultPerPage=2&page=2")]
    [InlineData(Api + "/2014-90001")]
    [InlineData(Api + "/2014-90001/images")]
    [InlineData(Api + "?resultPerPage=0")]
    [InlineData(Api + "/2099-00000")]
    [InlineData(Interpol)]
    [InlineData(Interpol + "/2014-90001")]
    [InlineData(Interpol + "/2014-90001/images")]
    public async Task Responses_SetNoCookie(string path)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });

        var response = await client.GetAsync(path);

        Assert.False(response.Headers.Contains("Set-Cookie"), $"{path} set a cookie");
        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    // ---- Helpers ----

    private async Task<JsonElement> GetJsonAsync(string url, HttpClient? client = null)
    {
        var response = await (client ?? factory.CreateClient()).GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url} answered {(int)response.StatusCode}");
        return await JsonOf(response);
    }

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    private static async Task<JsonElement> ProblemOf(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await JsonOf(response);
    }

    private static async Task AssertProblemAsync(HttpClient client, string path, HttpStatusCode expected)
    {
        var response = await client.GetAsync(path);
        Assert.True(response.StatusCode == expected, $"{path} answered {(int)response.StatusCode}, not {(int)expected}");
        Assert.Equal((int)expected, (await ProblemOf(response)).GetProperty("status").GetInt32());
    }

    private static List<JsonElement> Notices(JsonElement list) =>
        [.. list.GetProperty("_embedded").GetProperty("notices").EnumerateArray()];

    private static List<string> EntityIds(JsonElement list) =>
        [.. Notices(list).Select(n => n.GetProperty("entity_id").GetString()!)];

    private static List<string?> Strings(JsonElement element, string property) =>
        [.. element.GetProperty(property).EnumerateArray().Select(e => e.GetString())];

    private static string Href(JsonElement links, string relation) =>
        links.GetProperty(relation).GetProperty("href").GetString()!;

    private static DateTime TruncateToSeconds(DateTime utc) =>
        new(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    private static Task<int> SetStatusAsync(AppFactory app, string reference, NoticeStatus status, DateTime changedAt) =>
        app.ScopedAsync(db => db.Notices.Where(n => n.Reference == reference)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.Status, status).SetProperty(n => n.StatusChangedAtUtc, changedAt)));

    [GeneratedRegex("^[0-9]{4}/[0-9]{2}/[0-9]{2}$")]
    private static partial Regex DatePattern();
}
