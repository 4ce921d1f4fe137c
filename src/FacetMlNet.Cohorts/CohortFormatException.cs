namespace FacetMlNet.Cohorts;

/// <summary>Labels or studies that do not make a valid cohort: names the file, the line and the problem.</summary>
public sealed class CohortFormatException(string message) : Exception(message);
