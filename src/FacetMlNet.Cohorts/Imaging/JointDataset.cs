using System.Globalization;
using System.Text;
using FacetMlNet.Dicom.IO;
using FacetMlNet.Dicom.Imaging;
using FacetMlNet.Dicom.Series;
using FacetMlNet.Domain;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace FacetMlNet.Cohorts.Imaging;

/// <summary>
/// The joints of a cohort as an ML.NET image dataset: one row per joint with pseudonymised identifiers, level, side,
/// the crop tensor (slices × side × side, 0–1) and one key-typed label column per finding plus the overall grade
/// (reference standard). Crops are made lazily, as a cursor reaches each row.
/// </summary>
public sealed class JointDataset(Cohort cohort, JointCropper cropper, Pseudonymizer pseudonyms)
{
    /// <summary>
    /// One row. Label properties hold the grade itself (0-based): LoadFromEnumerable maps a key-typed property value
    /// v to the key of index v, as ML.NET's multiclass evaluator reads it (a test checks this against the evaluator).
    /// </summary>
    public sealed class Row
    {
#pragma warning disable CS1591 // Column names are the documentation.
        public string PatientId { get; set; } = "";
        public string JointId { get; set; } = "";
        public string Level { get; set; } = "";
        public string Side { get; set; } = "";
        public float[] Image { get; set; } = [];
        public uint JointSpaceNarrowing { get; set; }
        public uint Hypertrophy { get; set; }
        public uint Osteophytes { get; set; }
        public uint Erosion { get; set; }
        public uint SubchondralCysts { get; set; }
        public uint Overall { get; set; }
#pragma warning restore CS1591
    }

    /// <summary>The rows of <paramref name="joints"/>, cropping as they are enumerated (one volume read per series).</summary>
    public IEnumerable<Row> Rows(IReadOnlyList<CohortJoint> joints)
    {
        string? seriesUid = null;
        DicomVolume? volume = null;
        foreach (var joint in joints.OrderBy(j => j.SeriesUid, StringComparer.Ordinal))
        {
            if (joint.SeriesUid != seriesUid)
            {
                volume = cohort.LoadVolume(joint.SeriesUid);
                seriesUid = joint.SeriesUid;
            }
            var crops = cropper.Crop(volume!, joint.RoiMm, joint.Joint.Side);
            var pseudonym = pseudonyms.Pseudonymize(joint.PatientId);
            uint Key(GradingTarget t) => (uint)joint.Reference.Of(t);
            yield return new Row
            {
                PatientId = pseudonym,
                JointId = $"{pseudonym}/{joint.Joint}",
                Level = FacetJoint.LevelName(joint.Joint.Level),
                Side = joint.Joint.Side.ToString(),
                Image = [.. crops.SelectMany(c => c)],
                JointSpaceNarrowing = Key(GradingTarget.Findings[0]),
                Hypertrophy = Key(GradingTarget.Findings[1]),
                Osteophytes = Key(GradingTarget.Findings[2]),
                Erosion = Key(GradingTarget.Findings[3]),
                SubchondralCysts = Key(GradingTarget.Findings[4]),
                Overall = Key(GradingTarget.Overall),
            };
        }
    }

    /// <summary>The joints as an <see cref="IDataView"/> with a [slices, side, side] image column and key-typed labels.</summary>
    public IDataView ToDataView(MLContext ml, IReadOnlyList<CohortJoint> joints)
    {
        var o = cropper.Options;
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Image)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, o.Slices, o.OutputPixels, o.OutputPixels);
        foreach (var target in GradingTarget.All)
            schema[target.Name].ColumnType = new KeyDataViewType(typeof(uint), target.GradeCount);
        return ml.Data.LoadFromEnumerable(Rows(joints), schema);
    }

    /// <summary>
    /// Writes every crop as an 8-bit PNG (<c>&lt;pseudonym&gt;_&lt;joint&gt;_s&lt;k&gt;.png</c>) and <c>manifest.csv</c>
    /// (pseudonym, joint, level, side, slice, file, reference grades), so a person can look at what the model sees.
    /// </summary>
    /// <returns>The number of PNG files written.</returns>
    public int WritePngs(IReadOnlyList<CohortJoint> joints, string directory)
    {
        Directory.CreateDirectory(directory);
        var manifest = new StringBuilder("patient_pseudonym,joint,level,side,slice,file," + string.Join(',', GradingTarget.All.Select(t => t.Name)) + "\n");
        var n = cropper.Options.OutputPixels;
        var plane = n * n;
        var written = 0;
        foreach (var row in Rows(joints))
        {
            for (var k = 0; k < cropper.Options.Slices; k++)
            {
                var name = $"{row.JointId.Replace('/', '_')}_s{k}.png";
                PngWriter.Save(Path.Combine(directory, name), row.Image.AsSpan(k * plane, plane), n, n);
                manifest.Append(CultureInfo.InvariantCulture, $"{row.PatientId},{row.JointId.Split('/')[1]},{row.Level},{row.Side},{k},{name},")
                    .Append(string.Join(',', new[] { row.JointSpaceNarrowing, row.Hypertrophy, row.Osteophytes, row.Erosion, row.SubchondralCysts, row.Overall }))
                    .Append('\n');
                written++;
            }
        }
        AtomicFile.WriteAllText(Path.Combine(directory, "manifest.csv"), manifest.ToString());
        return written;
    }
}
