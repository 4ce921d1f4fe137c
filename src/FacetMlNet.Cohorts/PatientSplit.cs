using System.Globalization;
using System.Text;
using FacetMlNet.Dicom.IO;

namespace FacetMlNet.Cohorts;

/// <summary>A partition of a cohort.</summary>
public enum SplitPart
{
    /// <summary>Fits the model.</summary>
    Train,
    /// <summary>Chooses settings and stops training; never the test data.</summary>
    Validation,
    /// <summary>Reported once, at the end.</summary>
    Test,
}

/// <summary>
/// A seeded split by patient, never by image or joint: a patient's joints are correlated, so all of them fall in
/// one part. Optionally stratified by the patient's worst reference overall grade.
/// </summary>
public sealed class PatientSplit
{
    private readonly Dictionary<string, SplitPart> _parts;

    private PatientSplit(Dictionary<string, SplitPart> parts) => _parts = parts;

    /// <summary>The part of a patient.</summary>
    /// <exception cref="KeyNotFoundException">The patient is not in the split.</exception>
    public SplitPart this[string patientId] => _parts.TryGetValue(patientId, out var p) ? p
        : throw new KeyNotFoundException($"Patient is not in the split (split.csv from another cohort?).");

    /// <summary>Patients of each part.</summary>
    public IReadOnlyList<string> PatientsIn(SplitPart part) => [.. _parts.Where(kv => kv.Value == part).Select(kv => kv.Key).Order(StringComparer.Ordinal)];

    /// <summary>Number of patients.</summary>
    public int Count => _parts.Count;

    /// <summary>
    /// Splits patients at random in the given fractions (default 70/15/15). With <paramref name="stratify"/>, each
    /// stratum of worst overall grade is split separately, so rare severe patients reach every part.
    /// </summary>
    /// <exception cref="ArgumentException">Fractions not summing to 1, or too few patients for a non-empty part each.</exception>
    public static PatientSplit Create(IReadOnlyList<CohortPatient> patients, int seed, double train = 0.70, double validation = 0.15, bool stratify = true)
    {
        var test = 1 - train - validation;
        if (train <= 0 || validation <= 0 || test <= 1e-9) throw new ArgumentException($"Fractions {train}/{validation}/{test:F2} must be positive and sum to 1.");
        if (patients.Count < 3) throw new ArgumentException($"A split needs at least 3 patients; the cohort has {patients.Count}.");
        var rng = new Random(seed);
        var parts = new Dictionary<string, SplitPart>(StringComparer.Ordinal);
        var strata = stratify ? patients.GroupBy(p => p.WorstOverallGrade).OrderBy(g => g.Key).Select(g => g.ToList()) : [patients.ToList()];
        // Carry the rounding remainder from stratum to stratum so the totals stay close to the fractions.
        double carryTrain = 0, carryValidation = 0;
        foreach (var stratum in strata)
        {
            var ids = stratum.Select(p => p.PatientId).Order(StringComparer.Ordinal).ToArray();
            rng.Shuffle(ids);
            var nTrain = (int)Math.Round(ids.Length * train + carryTrain);
            var nValidation = (int)Math.Round(ids.Length * validation + carryValidation);
            nTrain = Math.Min(nTrain, ids.Length);
            nValidation = Math.Min(nValidation, ids.Length - nTrain);
            carryTrain += ids.Length * train - nTrain;
            carryValidation += ids.Length * validation - nValidation;
            for (var i = 0; i < ids.Length; i++)
                parts[ids[i]] = i < nTrain ? SplitPart.Train : i < nTrain + nValidation ? SplitPart.Validation : SplitPart.Test;
        }
        var split = new PatientSplit(parts);
        foreach (var part in Enum.GetValues<SplitPart>())
            if (split.PatientsIn(part).Count == 0)
                throw new ArgumentException($"The {part} split is empty with {patients.Count} patients; use a larger cohort.");
        return split;
    }

    /// <summary>Writes <c>split.csv</c> (patient_id, part) so an experiment can be repeated exactly.</summary>
    /// <remarks>Holds patient identifiers: keep it with the cohort, not with shared results.</remarks>
    public void Save(string path)
    {
        var sb = new StringBuilder("patient_id,part\n");
        foreach (var (id, part) in _parts.OrderBy(kv => kv.Key, StringComparer.Ordinal)) sb.Append(CultureInfo.InvariantCulture, $"{id},{part}\n");
        AtomicFile.WriteAllText(path, sb.ToString());
    }

    /// <summary>Reads a split written by <see cref="Save"/>.</summary>
    /// <exception cref="CohortFormatException">A malformed line, an unknown part or a patient listed twice.</exception>
    public static PatientSplit Load(string path)
    {
        var parts = new Dictionary<string, SplitPart>(StringComparer.Ordinal);
        var lines = File.ReadAllLines(path);
        for (var n = 1; n < lines.Length; n++)
        {
            if (string.IsNullOrWhiteSpace(lines[n])) continue;
            var cells = lines[n].Split(',');
            if (cells.Length != 2 || !Enum.TryParse<SplitPart>(cells[1].Trim(), ignoreCase: true, out var part))
                throw new CohortFormatException($"{path}:{n + 1}: expected 'patient_id,Train|Validation|Test'.");
            if (!parts.TryAdd(cells[0].Trim(), part)) throw new CohortFormatException($"{path}:{n + 1}: patient listed twice.");
        }
        return new PatientSplit(parts);
    }
}
