namespace InfraTerra.Web.Infrastructure;

/// <summary>The app's private data folder (SQLite file, development keys). Never committed.</summary>
public sealed class DataFolder
{
    public DataFolder(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public static DataFolder From(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration["DataFolder"];
        var path = string.IsNullOrWhiteSpace(configured)
            ? System.IO.Path.Combine(environment.ContentRootPath, "App_Data")
            : System.IO.Path.Combine(environment.ContentRootPath, configured);
        return new DataFolder(path);
    }
}
