using System.Text;
using Automation.Core.Events;
using Automation.Core.Journeys.Definitions;
using Automation.Core.Journeys.Engine;
using Automation.Core.Journeys.Preview;
using Automation.Core.Stores;

namespace Automation.Core.Tests.Journeys.Scenarios;

/// <summary>
/// A journey scenario written as a table: events in, time advanced, actions out, run through
/// <see cref="JourneySimulator"/> (the engine with an in-memory store and a virtual clock) over
/// the shipped journey files. Every action the journeys produce must be expected by a row: an
/// action left unexpected at the end fails the scenario.
/// </summary>
public sealed class Scenario
{
    /// <summary>A store on New York time, so "10:00 local" has a DST to cross.</summary>
    public static readonly StoreSettings DefaultStore = new("store-1", TimeZone: "America/New_York", Currency: "USD");

    private readonly string[] _journeys;
    private readonly List<JourneyDefinition> _extra = [];
    private StoreSettings _store = DefaultStore;
    private Customer? _customer = Customer.Ana;
    private Func<JourneyAction, string?> _fail = _ => null;

    private Scenario(string[] journeys) => _journeys = journeys;

    /// <summary>A scenario over these shipped journeys (by id); the first is the one checks look at.</summary>
    public static Scenario Of(params string[] journeys) => new(journeys);

    /// <summary>Who the events are about; null: a customer the store reports nothing about but the events.</summary>
    public Scenario For(Customer? customer)
    {
        _customer = customer;
        return this;
    }

    /// <summary>Adds journeys written for the scenario (read and validated like shipped ones) beside the shipped ones.</summary>
    public Scenario With(params string[] journeyJson)
    {
        foreach (var json in journeyJson)
        {
            var read = JourneyReader.Read(json, ShippedJourneys.Catalog);
            if (!read.IsValid) throw new ArgumentException(string.Join("; ", read.Problems.Select(p => $"{p.Path}: {p.Message}")), nameof(journeyJson));
            _extra.Add(read.Definition!);
        }
        return this;
    }

    public Scenario InStore(StoreSettings store)
    {
        _store = store;
        return this;
    }

    /// <summary>Makes actions fail (the simulator's <see cref="JourneySimulator.Fail"/> hook): return the reason, or null.</summary>
    public Scenario Failing(Func<JourneyAction, string?> fail)
    {
        _fail = fail;
        return this;
    }

    private JourneyLibrary Library() => new(
        [.. _journeys.Where(id => _extra.All(e => e.Id != id)).Select(id => PublishedJourney.Single(ShippedJourneys.Load(id))), .. _extra.Select(d => PublishedJourney.Single(d))],
        ShippedJourneys.Catalog);

    public ScenarioRun Run(params Row[] rows)
    {
        var start = rows.OfType<AtRow>().Select(r => Times.Parse(r.When)).FirstOrDefault();
        if (start == default) throw new ArgumentException("a scenario starts with an At(...) row", nameof(rows));
        var run = new ScenarioRun(new JourneySimulator(_store, Library(), "id:1001") { Fail = _fail }, _store, _journeys[0]);
        run.Start(start, _customer);
        foreach (var row in rows) run.Apply(row);
        run.Finish();
        return run;
    }
}

/// <summary>One scenario while it runs: the simulator, and which of its actions rows have checked.</summary>
public sealed class ScenarioRun
{
    private readonly StoreSettings _store;
    private int _checked;
    private int _events;
    private int _row;
    private Row? _current;

    internal ScenarioRun(JourneySimulator simulator, StoreSettings store, string journey)
    {
        Simulator = simulator;
        _store = store;
        Journey = journey;
    }

    public JourneySimulator Simulator { get; }

    /// <summary>The journey instance checks look at.</summary>
    public string Journey { get; }

    public DateTimeOffset Now => Simulator.Now;

    internal void Start(DateTimeOffset at, Customer? customer)
    {
        Simulator.StartAt(at);
        if (customer is not null)
            Simulator.Apply(Event(EventTypes.CustomerUpdated, at, customer.Facts(at)));
    }

    internal void Apply(Row row)
    {
        _row++;
        _current = row;
        row.Apply(this);
    }

    internal void Finish()
    {
        _current = null;
        if (Simulator.Actions.Count > _checked)
            Fail($"the journey produced actions no row expected:\n{Describe(Simulator.Actions.Skip(_checked))}");
    }

    internal void AdvanceTo(DateTimeOffset at)
    {
        if (at < Now) Fail($"time cannot go back from {Times.Utc(Now)} to {Times.Utc(at)}");
        Simulator.AdvanceTo(at);
    }

    internal void Send(EventInput input)
    {
        var occurred = input.Occurred is { } o ? Times.Parse(o) : Now;
        var order = input.Order;
        if (input.CouponOfStep is { } step && order is not null)
        {
            var code = CouponCode(step);
            order = order with { DiscountCodes = [.. order.DiscountCodes ?? [], input.LowerCaseCode ? code.ToLowerInvariant() : code] };
        }
        var customer = input.Customer ?? (input.Consent is { } state ? new CustomerFacts(Consent: new ConsentFacts(state, "test", occurred)) : null);
        Simulator.Apply(Event(input.Type, occurred, customer, order, input.Data?.DeepClone().AsObject()));
    }

    private CustomerEvent Event(string type, DateTimeOffset occurred, CustomerFacts? customer = null, OrderFacts? order = null, System.Text.Json.Nodes.JsonObject? data = null) =>
        new($"evt-{++_events}", _store.StoreId, "id:1001", type, occurred, Now, "api", customer, order, data);

    /// <summary>The actions decided since the last row that checked them.</summary>
    internal IReadOnlyList<JourneyAction> TakeNewActions()
    {
        var fresh = Simulator.Actions.Skip(_checked).ToList();
        _checked = Simulator.Actions.Count;
        return fresh;
    }

    /// <summary>The instance of the scenario's journey: its current run, or the given one (ended runs included).</summary>
    public JourneyInstance? Instance(int? run = null) => run is null
        ? Simulator.States.Instances.GetValueOrDefault(Journey)
        : Simulator.Runs.FirstOrDefault(i => i.JourneyId == Journey && i.Run == run);

    /// <summary>The code issued by a coupon step of the journey's current run.</summary>
    public string CouponCode(string step)
    {
        foreach (var instance in Simulator.States.Instances.Values.Reverse())
            if (instance.Coupons.TryGetValue(step, out var coupon)) return coupon.Code;
        Fail($"no coupon was issued by step '{step}'");
        return "";
    }

    internal void Fail(string message)
    {
        var text = new StringBuilder();
        text.Append(_current is null ? "after the last row" : $"row {_row} ({_current})").Append(": ").AppendLine(message);
        text.AppendLine().AppendLine("actions:").AppendLine(Describe(Simulator.Actions));
        text.AppendLine().AppendLine("timeline:");
        foreach (var t in Simulator.Timeline)
            text.AppendLine($"  {Times.Utc(t.At)} {t.Journey}#{t.Run} {t.Step}: {t.Outcome} {t.Detail}");
        Assert.Fail(text.ToString());
    }

    private static string Describe(IEnumerable<JourneyAction> actions)
    {
        var lines = actions.Select(a => "  " + ExpectedAction.Describe(a)).ToList();
        return lines.Count == 0 ? "  (none)" : string.Join('\n', lines);
    }
}
