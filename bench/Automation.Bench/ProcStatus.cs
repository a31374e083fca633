using System.Globalization;

namespace Automation.Bench;

/// <summary>Memory figures of a process from Linux's <c>/proc/{pid}/status</c>; null elsewhere.</summary>
internal static class ProcStatus
{
    /// <summary>A <c>kB</c> field (<c>VmRSS:</c>, <c>VmHWM:</c>) in bytes.</summary>
    public static long? Read(int pid, string field)
    {
        var status = $"/proc/{pid}/status";
        if (!File.Exists(status)) return null;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        var kb = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return kb is null ? null : long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>
    /// Resets the process's peak resident set (<c>VmHWM</c>) to its resident set now, by writing 5 to
    /// <c>/proc/{pid}/clear_refs</c> (Linux 4.0 and later), so a peak can be read for one phase.
    /// </summary>
    public static bool ResetPeak(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
