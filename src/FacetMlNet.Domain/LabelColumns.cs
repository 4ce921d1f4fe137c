namespace FacetMlNet.Domain;

/// <summary>
/// Column names of a cohort's <c>labels.csv</c>, one row per joint: the contract between whoever produces labels
/// (the synthetic generator, a hospital's export) and the cohort loader.
/// </summary>
public static class LabelColumns
{
#pragma warning disable CS1591 // The names are the documentation.
    public const string PatientId = "patient_id";
    public const string Age = "age";
    public const string Sex = "sex";
    public const string Exclusion = "exclusion";
    public const string StudyUid = "study_uid";
    public const string SeriesUid = "series_uid";
    public const string Level = "level";
    public const string Side = "side";
    public const string RoiXmm = "roi_x_mm";
    public const string RoiYmm = "roi_y_mm";
    public const string RoiZmm = "roi_z_mm";
    public const string RoiColumn = "roi_col";
    public const string RoiRow = "roi_row";
    public const string RoiSlice = "roi_slice";
#pragma warning restore CS1591

    /// <summary>Who graded: the generator's truth (synthetic cohorts only), readers A and B, the senior reference.</summary>
    public static IReadOnlyList<string> Graders { get; } = ["true", "a", "b", "ref"];

    /// <summary>The column of one grader's grade of one target, e.g. <c>Osteophytes_ref</c>.</summary>
    public static string Grade(GradingTarget target, string grader) => $"{target.Name}_{grader}";
}
