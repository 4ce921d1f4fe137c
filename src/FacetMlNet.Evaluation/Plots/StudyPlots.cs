using FacetMlNet.Dicom.IO;
using FacetMlNet.Evaluation.Metrics;
using ScottPlot;

namespace FacetMlNet.Evaluation.Plots;

/// <summary>A reader's single operating point on a ROC plot.</summary>
/// <param name="Name">Legend text.</param>
/// <param name="FalsePositiveRate">1 − specificity.</param>
/// <param name="TruePositiveRate">Sensitivity.</param>
public readonly record struct OperatingPoint(string Name, double FalsePositiveRate, double TruePositiveRate);

/// <summary>The report's figures, drawn with ScottPlot and saved as PNG.</summary>
public static class StudyPlots
{
    /// <summary>Side of each saved figure, pixels.</summary>
    public const int Size = 480;

    /// <summary>The model's ROC curve with the readers' operating points and the chance diagonal.</summary>
    public static void Roc(string path, string title, IReadOnlyList<RocPoint> curve, double auc, IReadOnlyList<OperatingPoint> readers)
    {
        var plot = new Plot();
        var chance = plot.Add.Line(0, 0, 1, 1);
        chance.LinePattern = LinePattern.Dashed;
        chance.Color = Colors.Gray;
        var model = plot.Add.Scatter(curve.Select(p => p.FalsePositiveRate).ToArray(), curve.Select(p => p.TruePositiveRate).ToArray());
        model.MarkerSize = 0;
        model.LineWidth = 2;
        model.LegendText = FormattableString.Invariant($"model (AUC {auc:0.000})");
        var palette = new[] { Colors.OrangeRed, Colors.ForestGreen, Colors.Purple };
        for (var i = 0; i < readers.Count; i++)
        {
            var m = plot.Add.Marker(readers[i].FalsePositiveRate, readers[i].TruePositiveRate);
            m.MarkerSize = 12;
            m.Color = palette[i % palette.Length];
            m.LegendText = readers[i].Name;
        }
        plot.Axes.SetLimits(-0.02, 1.02, -0.02, 1.02);
        plot.XLabel("1 − specificity");
        plot.YLabel("sensitivity");
        plot.Title(title);
        plot.ShowLegend(Alignment.LowerRight);
        Save(plot, path);
    }

    /// <summary>A confusion matrix as a heatmap with counts, rows the reference grade.</summary>
    public static void Confusion(string path, string title, int[,] confusion)
    {
        var k = confusion.GetLength(0);
        var plot = new Plot();
        var values = new double[k, k];
        for (var r = 0; r < k; r++)
            for (var c = 0; c < k; c++)
                values[r, c] = confusion[r, c];
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = new ScottPlot.Colormaps.Blues();
        for (var r = 0; r < k; r++)
            for (var c = 0; c < k; c++)
            {
                var text = plot.Add.Text(confusion[r, c].ToString(System.Globalization.CultureInfo.InvariantCulture), c, k - 1 - r);
                text.LabelFontSize = 18;
                text.LabelAlignment = Alignment.MiddleCenter;
            }
        plot.XLabel("predicted grade");
        plot.YLabel("reference grade");
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, k).Select(i => (double)i)], [.. Enumerable.Range(0, k).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, k).Select(i => (double)(k - 1 - i))], [.. Enumerable.Range(0, k).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        plot.Title(title);
        Save(plot, path);
    }

    /// <summary>
    /// Reliability diagram of a binary probability: observed frequency against mean predicted probability in ten equal
    /// bins (empty bins left out), with the diagonal of perfect calibration.
    /// </summary>
    public static void Calibration(string path, string title, IReadOnlyList<bool> positive, IReadOnlyList<double> probability)
    {
        var bins = Enumerable.Range(0, positive.Count).GroupBy(i => Math.Min(9, (int)(probability[i] * 10))).OrderBy(g => g.Key).ToList();
        var plot = new Plot();
        var ideal = plot.Add.Line(0, 0, 1, 1);
        ideal.LinePattern = LinePattern.Dashed;
        ideal.Color = Colors.Gray;
        var curve = plot.Add.Scatter(bins.Select(g => g.Average(i => probability[i])).ToArray(), bins.Select(g => g.Average(i => positive[i] ? 1.0 : 0.0)).ToArray());
        curve.MarkerSize = 8;
        curve.LegendText = "model";
        plot.Axes.SetLimits(-0.02, 1.02, -0.02, 1.02);
        plot.XLabel("mean predicted probability");
        plot.YLabel("observed frequency");
        plot.Title(title);
        Save(plot, path);
    }

    private static void Save(Plot plot, string path) => AtomicFile.WriteAllBytes(path, plot.GetImageBytes(Size, Size, ImageFormat.Png));
}
