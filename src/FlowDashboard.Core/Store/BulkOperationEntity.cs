using FlowDashboard.Operations;

namespace FlowDashboard.Store;

/// <summary>
/// A bulk operation's row: what it does to which runs, how far it got, and which node carries it out until when. In
/// the store, so that any node answers for it and another node finishes it when the one carrying it out stops.
/// </summary>
internal sealed class BulkOperationEntity
{
    public required string Id { get; set; }
    public BulkAction Action { get; set; }
    public required string Actor { get; set; }

    /// <summary>The selected runs as a JSON array, when they were chosen one by one.</summary>
    public string? RunIds { get; set; }

    /// <summary>The filter as JSON, when every matching run is selected.</summary>
    public string? Filter { get; set; }

    public int Total { get; set; }
    public int Succeeded { get; set; }
    public int Skipped { get; set; }
    public int Failed { get; set; }
    public string? LastError { get; set; }

    /// <summary>How many of the selected ids have been seen.</summary>
    public int Position { get; set; }

    /// <summary>The last run of the filter's pages seen (newest first): the next page starts after it.</summary>
    public DateTime? CursorCreatedAt { get; set; }

    /// <inheritdoc cref="CursorCreatedAt"/>
    public string? CursorId { get; set; }

    public bool Finished { get; set; }

    /// <summary>The node carrying the operation out; once <see cref="OwnerExpiresAt"/> has passed, another node takes it over.</summary>
    public string? Owner { get; set; }

    public DateTime? OwnerExpiresAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
