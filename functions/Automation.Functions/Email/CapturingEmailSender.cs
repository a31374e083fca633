using System.Collections.Concurrent;

namespace Automation.Functions.Email;

/// <summary>
/// The local stand-in for SendGrid (DESIGN.md): accepts every email and keeps the latest
/// <see cref="Capacity"/> in memory, readable through <c>GET /api/dev/emails</c>, so journeys
/// can be tried end to end without sending anything.
/// </summary>
public sealed class CapturingEmailSender(TimeProvider time) : IEmailSender
{
    public const int Capacity = 1000;
    private readonly ConcurrentQueue<CapturedEmail> _sent = new();

    public IReadOnlyList<CapturedEmail> Sent => [.. _sent];

    public Task<EmailResult> SendAsync(OutgoingEmail email, CancellationToken ct)
    {
        var id = "captured-" + email.ActionKey;
        _sent.Enqueue(new CapturedEmail(id, time.GetUtcNow(), email));
        while (_sent.Count > Capacity) _sent.TryDequeue(out _);
        return Task.FromResult(new EmailResult(true, id));
    }
}

public sealed record CapturedEmail(string MessageId, DateTimeOffset At, OutgoingEmail Email);
