namespace FacetMlNet.Cli;

/// <summary>Reports "done / total" on standard error, at most every few percent.</summary>
internal sealed class ConsoleProgress(int total, string unit) : IProgress<int>
{
    private int _lastPercent = -1;

    public void Report(int value)
    {
        var percent = total == 0 ? 100 : value * 100 / total;
        if (percent / 5 == _lastPercent / 5 && value != total) return;
        _lastPercent = percent;
        Console.Error.Write($"\r  {value}/{total} {unit} ({percent}%)");
    }
}
