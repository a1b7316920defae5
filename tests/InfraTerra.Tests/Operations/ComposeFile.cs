using YamlDotNet.RepresentationModel;

namespace InfraTerra.Tests.Operations;

/// <summary>docker-compose.yml read as YAML, with a service's <c>&lt;&lt;: *anchor</c> merged in as Compose does.</summary>
public sealed class ComposeFile
{
    private readonly YamlMappingNode _root;

    private ComposeFile(YamlMappingNode root) => _root = root;

    public static ComposeFile Load(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return new ComposeFile((YamlMappingNode)stream.Documents[0].RootNode);
    }

    public YamlMappingNode Service(string name)
    {
        var service = (YamlMappingNode)Node(Node(_root, "services"), name)!;
        var merged = new YamlMappingNode();
        if (Node(service, "<<") is YamlMappingNode anchor)
        {
            foreach (var (key, value) in anchor)
            {
                merged.Add(key, value);
            }
        }

        foreach (var (key, value) in service.Children.Where(c => Text(c.Key) != "<<"))
        {
            merged.Children[key] = value;
        }

        return merged;
    }

    /// <summary>A service's environment, with a <c>&lt;&lt;: *anchor</c> inside it merged in as Compose does.</summary>
    public IReadOnlyDictionary<string, string> Environment(string service)
    {
        var variables = new Dictionary<string, string>();
        if (Node(Service(service), "environment") is not YamlMappingNode environment)
        {
            return variables;
        }

        if (Node(environment, "<<") is YamlMappingNode anchor)
        {
            foreach (var (key, value) in anchor)
            {
                variables[Text(key)] = Text(value);
            }
        }

        foreach (var (key, value) in environment.Children.Where(c => Text(c.Key) != "<<"))
        {
            variables[Text(key)] = Text(value);
        }

        return variables;
    }

    /// <summary>The names of the services.</summary>
    public IReadOnlyList<string> Services => [.. ((YamlMappingNode)Node(_root, "services")!).Children.Keys.Select(Text)];

    /// <summary>A service's secrets: the file's name under /run/secrets (its target) and the host file it comes from.</summary>
    public IReadOnlyDictionary<string, string> Secrets(string service)
    {
        var files = (Node(_root, "secrets") as YamlMappingNode)?.Children.ToDictionary(c => Text(c.Key), c => Text(Node(c.Value, "file")!)) ?? [];
        var secrets = new Dictionary<string, string>();
        foreach (var secret in Node(Service(service), "secrets") as YamlSequenceNode ?? [])
        {
            var source = secret is YamlMappingNode ? Text(Node(secret, "source")!) : Text(secret);
            var target = secret is YamlMappingNode && Node(secret, "target") is { } t ? Text(t) : source;
            secrets[target] = files[source];
        }

        return secrets;
    }

    /// <summary>A list under a service (<c>ports</c>, <c>volumes</c>), as text.</summary>
    public IReadOnlyList<string> List(string service, string key) =>
        Node(Service(service), key) is YamlSequenceNode list ? [.. list.Select(Text)] : [];

    public YamlNode? At(params string[] path) => path.Aggregate<string, YamlNode?>(_root, Node);

    public static YamlNode? Node(YamlNode? node, string key) =>
        node is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static string Text(YamlNode node) => ((YamlScalarNode)node).Value ?? "";
}
