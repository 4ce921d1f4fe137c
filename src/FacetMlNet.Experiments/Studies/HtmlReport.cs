using System.Globalization;
using System.Net;
using System.Text;
using FacetMlNet.Dicom.IO;
using FacetMlNet.Evaluation.Metrics;
using FacetMlNet.Evaluation.Plots;

namespace FacetMlNet.Experiments.Studies;

/// <summary>
/// <c>report.html</c>: the primary-outcome table and, per target, the ROC curve with the readers' operating points,
/// the confusion matrix and the calibration of the binary cut. Figures are PNG files in <c>plots/</c> beside it, so
/// the page opens offline. When every image has loaded the page marks <c>body[data-images-loaded]</c>.
/// </summary>
internal static class HtmlReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Write(string directory, StudyOptions options, IReadOnlyList<ComparisonRow> comparison, StudyFacts facts) =>
        Write(directory, $"FacetMlNet study {options.Name}",
            $"{facts.Patients} eligible patients ({facts.Excluded} excluded); test split {facts.SplitPatients[Cohorts.SplitPart.Test]} patients / {facts.SplitJoints[Cohorts.SplitPart.Test]} joints. ",
            comparison);

    /// <summary>Writes the page with a title and an opening sentence about the cases evaluated.</summary>
    public static void Write(string directory, string title, string cases, IReadOnlyList<ComparisonRow> comparison)
    {
        var plots = Path.Combine(directory, "plots");
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
          .Append(WebUtility.HtmlEncode(title)).Append("</title><style>")
          .Append("body{font-family:sans-serif;margin:2em;max-width:1500px}table{border-collapse:collapse;font-size:13px}")
          .Append("td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}td:first-child,td:nth-child(2),th{text-align:left}")
          .Append(".figs img{width:32%;margin-right:1%}</style></head><body>");
        sb.Append(Inv, $"<h1>{WebUtility.HtmlEncode(title)}</h1>");
        sb.Append(Inv, $"<p>{WebUtility.HtmlEncode(cases)}")
          .Append("Model: the validation-chosen head per target. Binary cut: grade ≥ 2 (cysts: present); model at the threshold chosen on validation (Youden's J), readers at their own operating point. ")
          .Append("p-values: DeLong (cut AUC) and McNemar (exact grade), Holm-adjusted across targets.</p>");
        sb.Append("<table><tr><th>Target</th><th>Grader</th><th>Accuracy</th><th>Precision</th><th>Sensitivity</th><th>Specificity</th><th>F1</th><th>AUC</th><th>Cut AUC</th><th>Cut sens.</th><th>Cut spec.</th><th>DeLong p (Holm)</th><th>McNemar p (Holm)</th></tr>");
        static string P(double? v) => v is null || double.IsNaN(v.Value) ? "–" : v.Value.ToString("0.000", Inv);
        foreach (var r in comparison)
            sb.Append(Inv, $"<tr><td>{r.Target}</td><td>{WebUtility.HtmlEncode(r.Grader)}</td><td>{P(r.Report.Accuracy)}</td><td>{P(r.Report.MacroPrecision)}</td><td>{P(r.Report.MacroRecall)}</td><td>{P(r.Report.MacroSpecificity)}</td><td>{P(r.Report.MacroF1)}</td><td>{P(r.MacroAuc)}</td><td>{P(r.CutAuc)}</td><td>{P(r.CutSensitivity)}</td><td>{P(r.CutSpecificity)}</td>")
              .Append(Inv, $"<td>{(r.DeLongVsModel is { } d ? $"{P(d.PValue)} ({P(r.DeLongPHolm)})" : "")}</td><td>{(r.McNemarPVsModel is { } m ? $"{P(m)} ({P(r.McNemarPHolm)})" : "")}</td></tr>");
        sb.Append("</table>");
        foreach (var group in comparison.GroupBy(r => r.Target))
        {
            var model = group.First(r => r.Grader == "model");
            sb.Append(Inv, $"<h2>{group.Key}</h2><div class=\"figs\">");
            if (!double.IsNaN(model.CutAuc))
            {
                var readers = group.Where(r => r.Grader != "model").Select(r => new OperatingPoint(r.Grader, 1 - r.CutSpecificity, r.CutSensitivity)).ToList();
                StudyPlots.Roc(Path.Combine(plots, $"roc-{group.Key}.png"), $"{group.Key}: grade ≥ {model.Cut}", Roc.Curve(model.CutPositive, model.CutScores), model.CutAuc, readers);
                StudyPlots.Calibration(Path.Combine(plots, $"calibration-{group.Key}.png"), $"{group.Key}: calibration of P(grade ≥ {model.Cut})", model.CutPositive, model.CutScores);
                sb.Append(Inv, $"<img src=\"plots/roc-{group.Key}.png\" alt=\"ROC {group.Key}\"><img src=\"plots/calibration-{group.Key}.png\" alt=\"calibration {group.Key}\">");
            }
            StudyPlots.Confusion(Path.Combine(plots, $"confusion-{group.Key}.png"), $"{group.Key}: model", model.Report.Confusion);
            sb.Append(Inv, $"<img src=\"plots/confusion-{group.Key}.png\" alt=\"confusion {group.Key}\"></div>");
        }
        sb.Append("<script>window.addEventListener('load',function(){var n=0;document.querySelectorAll('img').forEach(function(i){if(i.complete&&i.naturalWidth>0)n++;});")
          .Append("document.body.setAttribute('data-images-loaded',n+'/'+document.images.length);});</script></body></html>");
        AtomicFile.WriteAllText(Path.Combine(directory, "report.html"), sb.ToString());
    }
}
