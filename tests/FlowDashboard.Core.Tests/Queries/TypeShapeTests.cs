using System.Text.Json.Serialization;
using FlowDashboard.Queries;

namespace FlowDashboard.Core.Tests.Queries;

public sealed class TypeShapeTests
{
    private enum Carrier
    {
        Post,
        Courier,
    }

    [Fact]
    public void Of_ObjectWithEveryKindOfMember_NamesEachByItsJsonNameWithItsKindAndWhetherItMayBeNull()
    {
        var shape = TypeShape.Of(typeof(Shipment));

        Assert.Equal(
            "Shipment { id: guid, count: integer, weight: number, express: bool, carrier: \"Post\" | \"Courier\", due: date-time, "
            + "note: string?, retries: integer?, tags: string[], stock: { [key]: integer }, address: Address, label: string }",
            shape);
    }

    [Fact]
    public void Of_ScalarOrList_IsItsJsonKind()
    {
        Assert.Equal("string", TypeShape.Of(typeof(string)));
        Assert.Equal("integer", TypeShape.Of(typeof(int?)));
        Assert.Equal("integer[]", TypeShape.Of(typeof(List<int>)));
        Assert.Equal("List", TypeShape.NameOf(typeof(List<int>)));
        Assert.Equal("Shipment", TypeShape.NameOf(typeof(Shipment)));
    }

    private sealed record Address(string Street);

    private sealed record Shipment(
        Guid Id,
        int Count,
        decimal Weight,
        bool Express,
        Carrier Carrier,
        DateTimeOffset Due,
        string? Note,
        int? Retries,
        IReadOnlyList<string> Tags,
        IReadOnlyDictionary<string, int> Stock,
        Address Address,
        [property: JsonPropertyName("label")] string Caption);
}
