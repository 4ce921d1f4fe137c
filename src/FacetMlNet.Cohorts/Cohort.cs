using System.Globalization;
using System.Numerics;
using FacetMlNet.Dicom;
using FacetMlNet.Dicom.Series;
using FacetMlNet.Domain;

namespace FacetMlNet.Cohorts;

/// <summary>
/// A cohort: patients × studies × graded joints, loaded from a folder of DICOM studies and a <c>labels.csv</c>
/// (see <see cref="LabelColumns"/>), with the protocol's exclusion criteria applied.
/// </summary>
public sealed class Cohort
{
    private Cohort(IReadOnlyList<CohortPatient> patients, IReadOnlyDictionary<string, string> exclusions,
        IReadOnlyDictionary<string, IReadOnlyList<string>> seriesFiles, string studiesDirectory)
    {
        Patients = patients;
        Excluded = exclusions;
        SeriesFiles = seriesFiles;
        StudiesDirectory = studiesDirectory;
    }

    /// <summary>Eligible patients, in label order.</summary>
    public IReadOnlyList<CohortPatient> Patients { get; }

    /// <summary>Excluded patients and the reason, by patient identifier.</summary>
    public IReadOnlyDictionary<string, string> Excluded { get; }

    /// <summary>The DICOM files of each series referenced by the labels, by Series Instance UID.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> SeriesFiles { get; }

    /// <summary>The folder the studies were read from.</summary>
    public string StudiesDirectory { get; }

    /// <summary>Reads one series of the cohort as a volume in modality units (HU for CT).</summary>
    /// <exception cref="DicomFormatException">A file of the series is malformed.</exception>
    public DicomVolume LoadVolume(string seriesUid)
    {
        if (!SeriesFiles.TryGetValue(seriesUid, out var files)) throw new KeyNotFoundException($"Series {seriesUid} is not in the cohort.");
        return DicomSeries.Group(files.Select(path => DicomFile.Open(path))).Single().ToVolume();
    }

    /// <summary>All joints of the eligible patients.</summary>
    public IEnumerable<CohortJoint> Joints => Patients.SelectMany(p => p.Joints);

    /// <summary>
    /// Loads a cohort. Every label row must point to a series under <paramref name="studiesDirectory"/>, and every
    /// study there must have labels.
    /// </summary>
    /// <exception cref="CohortFormatException">A label row without a study, a study without labels, an unknown or missing
    /// grade, a duplicate joint, or a malformed row; the message names the file and line.</exception>
    public static Cohort Load(string studiesDirectory, string labelsCsv)
    {
        if (!File.Exists(labelsCsv)) throw new CohortFormatException($"{labelsCsv}: labels file not found.");
        if (!Directory.Exists(studiesDirectory)) throw new CohortFormatException($"{studiesDirectory}: studies folder not found.");
        var lines = File.ReadAllLines(labelsCsv);
        if (lines.Length < 2) throw new CohortFormatException($"{labelsCsv}: no label rows.");
        var header = lines[0].Split(',');
        var column = header.Select((name, i) => (name, i)).ToDictionary(x => x.name.Trim(), x => x.i, StringComparer.OrdinalIgnoreCase);
        int Col(string name) => column.TryGetValue(name, out var i) ? i
            : throw new CohortFormatException($"{labelsCsv}: required column '{name}' is missing from the header.");

        var series = IndexSeries(studiesDirectory);
        var joints = new Dictionary<string, List<CohortJoint>>(StringComparer.Ordinal);
        var info = new Dictionary<string, (int? Age, string? Sex)>(StringComparer.Ordinal);
        var exclusions = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var usedSeries = new HashSet<string>(StringComparer.Ordinal);
        var order = new List<string>();
        for (var n = 1; n < lines.Length; n++)
        {
            if (string.IsNullOrWhiteSpace(lines[n])) continue;
            var where = $"{labelsCsv}:{n + 1}";
            var cells = lines[n].Split(',');
            if (cells.Length != header.Length) throw new CohortFormatException($"{where}: {cells.Length} cells, the header has {header.Length}.");
            string Cell(string name) => cells[Col(name)].Trim();
            var patientId = Cell(LabelColumns.PatientId);
            if (patientId.Length == 0) throw new CohortFormatException($"{where}: empty {LabelColumns.PatientId}.");
            if (!info.ContainsKey(patientId))
            {
                order.Add(patientId);
                info[patientId] = (
                    column.ContainsKey(LabelColumns.Age) && int.TryParse(Cell(LabelColumns.Age), CultureInfo.InvariantCulture, out var age) ? age : null,
                    column.ContainsKey(LabelColumns.Sex) ? Cell(LabelColumns.Sex) : null);
            }
            if (column.ContainsKey(LabelColumns.Exclusion) && Cell(LabelColumns.Exclusion) is { Length: > 0 } reason) exclusions[patientId] = reason;

            FacetJoint joint;
            try { joint = FacetJoint.Parse($"{Cell(LabelColumns.Level)}-{Cell(LabelColumns.Side)}"); }
            catch (FormatException e) { throw new CohortFormatException($"{where}: {e.Message}"); }
            if (!seen.Add($"{patientId}/{joint}")) throw new CohortFormatException($"{where}: duplicate joint {joint} of patient at row {n + 1}.");

            var seriesUid = Cell(LabelColumns.SeriesUid);
            if (!series.ContainsKey(seriesUid))
                throw new CohortFormatException($"{where}: no study under {studiesDirectory} holds series {seriesUid} (label row without a study).");
            usedSeries.Add(seriesUid);
            var roi = new Vector3(Number(Cell(LabelColumns.RoiXmm), where, LabelColumns.RoiXmm), Number(Cell(LabelColumns.RoiYmm), where, LabelColumns.RoiYmm),
                Number(Cell(LabelColumns.RoiZmm), where, LabelColumns.RoiZmm));

            FacetGrades Grades(string grader) => new([.. GradingTarget.Findings.Select(t => Grade(cells, column, t, grader, where))]);
            var hasTruth = column.ContainsKey(LabelColumns.Grade(GradingTarget.Findings[0], "true"));
            var cj = new CohortJoint
            {
                PatientId = patientId, Joint = joint, SeriesUid = seriesUid, RoiMm = roi,
                ReaderA = Grades("a"), ReaderB = Grades("b"), Reference = Grades("ref"), Truth = hasTruth ? Grades("true") : null,
            };
            CheckOverall(cells, column, cj, where);
            if (!joints.TryGetValue(patientId, out var list)) joints[patientId] = list = [];
            list.Add(cj);
        }

        var unlabelled = series.Keys.Where(s => !usedSeries.Contains(s)).Order(StringComparer.Ordinal).ToList();
        if (unlabelled.Count > 0)
            throw new CohortFormatException($"{studiesDirectory}: {unlabelled.Count} series have no labels in {labelsCsv} (study without labels), e.g. {series[unlabelled[0]][0]}.");

        var patients = order.Where(id => !exclusions.ContainsKey(id))
            .Select(id => new CohortPatient { PatientId = id, Age = info[id].Age, Sex = info[id].Sex, Joints = joints[id] })
            .ToList();
        return new Cohort(patients, exclusions, series, studiesDirectory);
    }

    private static float Number(string text, string where, string name) =>
        float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
        : throw new CohortFormatException($"{where}: {name} '{text}' is not a number.");

    private static int Grade(string[] cells, Dictionary<string, int> column, GradingTarget target, string grader, string where)
    {
        var name = LabelColumns.Grade(target, grader);
        if (!column.TryGetValue(name, out var i)) throw new CohortFormatException($"{where}: required column '{name}' is missing.");
        var text = cells[i].Trim();
        if (text.Length == 0) throw new CohortFormatException($"{where}: missing grade in {name}.");
        if (!int.TryParse(text, CultureInfo.InvariantCulture, out var g) || g < 0 || g >= target.GradeCount)
            throw new CohortFormatException($"{where}: unknown grade '{text}' in {name} (expected 0–{target.GradeCount - 1}).");
        return g;
    }

    /// <summary>Where the labels carry an overall grade, it must be the one the Weishaupt rules give.</summary>
    private static void CheckOverall(string[] cells, Dictionary<string, int> column, CohortJoint joint, string where)
    {
        foreach (var (grader, grades) in (ReadOnlySpan<(string, FacetGrades)>)[("a", joint.ReaderA), ("b", joint.ReaderB), ("ref", joint.Reference)])
        {
            var name = LabelColumns.Grade(GradingTarget.Overall, grader);
            if (column.TryGetValue(name, out var i) && cells[i].Trim() is { Length: > 0 } text && text != grades.Overall.ToString(CultureInfo.InvariantCulture))
                throw new CohortFormatException($"{where}: {name} is {text} but the findings give Weishaupt grade {grades.Overall}.");
        }
    }

    /// <summary>Series Instance UID → its files, from every DICOM file under the folder whatever its name (DICOMDIRs left out).</summary>
    private static Dictionary<string, IReadOnlyList<string>> IndexSeries(string directory)
    {
        var index = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var path in DicomFile.FindFiles(directory))
        {
            var header = DicomFile.OpenHeader(path);
            if (header.FileMetaInfo.GetStringOrDefault(DicomTag.MediaStorageSOPClassUID) == DicomFile.MediaStorageDirectoryClassUid) continue;
            var uid = header.Dataset.GetStringOrDefault(DicomTag.SeriesInstanceUID);
            if (uid.Length == 0) throw new CohortFormatException($"{path}: no Series Instance UID.");
            if (!index.TryGetValue(uid, out var list)) index[uid] = list = [];
            list.Add(path);
        }
        return index.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value, StringComparer.Ordinal);
    }
}
