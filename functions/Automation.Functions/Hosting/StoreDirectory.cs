using Automation.Core.Stores;
using Microsoft.Extensions.Options;

namespace Automation.Functions.Hosting;

/// <summary>The configured stores, looked up by the id in a request's path.</summary>
public sealed class StoreDirectory(IOptions<AutomationOptions> options)
{
    private readonly AutomationOptions _options = options.Value;

    public IEnumerable<string> Ids => _options.Stores.Keys;

    public bool TryGet(string storeId, out StoreOptions store) =>
        _options.Stores.TryGetValue(storeId, out store!);

    public StoreSettings Settings(string storeId) =>
        TryGet(storeId, out var s) ? s.ToSettings(storeId) : new StoreSettings(storeId);
}
