namespace InfraTerra.Web.Data;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
    Postgres,
}
