using InfraTerra.Bench.TipLoad;

// Two steps, so that the recount reads the database after the app has stopped:
//   load    --base http://127.0.0.1:5391 --ledger forms.jsonl [--concurrency 16 --duration 30 ...]
//   recount --db infraterra.db --ledger forms.jsonl   (TIPLOAD_LOOKUP_KEY: the app's Tips:LookupKey, optional)
//   recount --postgres "Host=...;Database=..." --ledger forms.jsonl   (the same, on PostgreSQL: bench/two-nodes.sh)
try
{
    return args.FirstOrDefault() switch
    {
        "load" => await LoadRun.RunAsync(LoadOptions.Parse(args[1..])),
        "recount" => Recount.Run(RecountOptions.Parse(args[1..])),
        _ => Usage(),
    };
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return Usage();
}

static int Usage()
{
    Console.Error.WriteLine("""
        usage: TipLoad load --base URL --ledger FILE [--concurrency 16] [--duration 30] [--warmup 5]
                            [--retry-percent 5] [--double-percent 2] [--attach-percent 0] [--notice-percent 50]
                            [--app-pid PID [--split-tips 0]]
               TipLoad recount (--db FILE | --postgres CONNECTION-STRING) --ledger FILE
        """);
    return 64;
}
