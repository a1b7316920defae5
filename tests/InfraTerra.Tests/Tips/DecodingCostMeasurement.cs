using System.Diagnostics;
using System.Globalization;
using System.Net;
using InfraTerra.Tests.Support;
using Xunit.Abstractions;

namespace InfraTerra.Tests.Tips;

/// <summary>
/// Not a check but a measurement, run on demand (INFRATERRA_MEASURE_CPU=1): the process CPU time
/// that one abusive post costs, the same solved question and form key posted again and again with a
/// large photo and a damaged file, so that no tip is ever stored. Figures go to the test output.
/// </summary>
public sealed class DecodingCostMeasurement(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task CpuPerReusedPostWithALargePhoto()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("INFRATERRA_MEASURE_CPU") == "1", "A measurement: set INFRATERRA_MEASURE_CPU=1 to run it.");
        using var factory = new AppFactory(new()
        {
            ["RateLimits:TipSubmissionsPerHour"] = "30",
            ["RateLimits:TipSubmissionsPerHourWithoutScript"] = "10",
            ["RateLimits:QuestionTipsPerHourGlobal"] = "60",
        });
        var client = Clients.New(factory);
        var page = await Html.ParseAsync(await client.GetAsync("/tips/new"));
        var fields = Html.FormFields(page);
        fields["Input.Description"] = "Photos of the warehouse where the ivory is kept.";
        fields["Input.CheckAnswer"] = TipForms.AnswerTo(page);
        var photo = TestFiles.Jpeg(6000, 4000);
        var damaged = TestFiles.TruncatedJpeg();

        var process = Process.GetCurrentProcess();
        var counts = new Dictionary<HttpStatusCode, int>();
        var cpu = new Dictionary<HttpStatusCode, TimeSpan>();
        for (var i = 0; i < 15; i++)
        {
            process.Refresh();
            var before = process.TotalProcessorTime;
            using var content = TipForms.WithFiles(fields, "Input.Attachments", ("big.jpg", photo, "image/jpeg"), ("cut.jpg", damaged, "image/jpeg"));
            var response = await client.PostAsync("/tips/new", content);
            await response.Content.ReadAsStringAsync();
            process.Refresh();
            var spent = process.TotalProcessorTime - before;
            counts[response.StatusCode] = counts.GetValueOrDefault(response.StatusCode) + 1;
            cpu[response.StatusCode] = cpu.GetValueOrDefault(response.StatusCode) + spent;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"post {i + 1,2}: {(int)response.StatusCode} in {spent.TotalMilliseconds,7:0} ms CPU"));
        }

        foreach (var (status, count) in counts)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(int)status}: {count} posts, {cpu[status].TotalMilliseconds / count:0} ms CPU each on average"));
        }
    }
}
