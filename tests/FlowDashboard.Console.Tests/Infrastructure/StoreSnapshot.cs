using System.Text;
using FlowDashboard.Tests.Shared;

namespace FlowDashboard.Console.Tests.Infrastructure;

/// <summary>Every row of every table of a store, as text: two snapshots are equal only if nothing was written in between.</summary>
public static class StoreSnapshot
{
    /// <summary>The store of the host whose files are in <paramref name="folder"/>, on the store the tests run on.</summary>
    public static async Task<string> TakeAsync(string folder)
    {
        await using var connection = TestStore.Connect(folder);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = TestStore.TablesQuery;
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }

        var text = new StringBuilder();
        foreach (var table in tables)
        {
            text.Append("## ").AppendLine(table);
            await using var rows = connection.CreateCommand();
            rows.CommandText = $"SELECT * FROM \"{table}\" ORDER BY 1";
            await using var reader = await rows.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++) text.Append(reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('|');
                text.AppendLine();
            }
        }

        return text.ToString();
    }
}
