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

    /// <summary>
    /// A development secret in the data folder: read it, or write <paramref name="create"/>'s content
    /// readable by this user only. Two processes starting at once keep the first one written.
    /// </summary>
    public string ReadOrCreatePrivateFile(string name, Func<string> create)
    {
        var path = File(name);
        if (!System.IO.File.Exists(path))
        {
            var temp = $"{path}.{Guid.NewGuid():N}.tmp";
            System.IO.File.WriteAllText(temp, create());
            if (!OperatingSystem.IsWindows())
            {
                System.IO.File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            try
            {
                System.IO.File.Move(temp, path, overwrite: false);
            }
            catch (IOException)
            {
                System.IO.File.Delete(temp);
            }
        }

        return System.IO.File.ReadAllText(path);
    }

    public static DataFolder From(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration["DataFolder"];
        var path = string.IsNullOrWhiteSpace(configured)
            ? System.IO.Path.Combine(environment.ContentRootPath, "App_Data")
            : System.IO.Path.Combine(environment.ContentRootPath, configured);
        return new DataFolder(path);
    }
}
