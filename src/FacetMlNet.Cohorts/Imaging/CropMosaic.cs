using FacetMlNet.Dicom.Imaging;
using FacetMlNet.Domain;

namespace FacetMlNet.Cohorts.Imaging;

/// <summary>A picture of crops per grade, so a person can see that grades look different.</summary>
public static class CropMosaic
{
    /// <summary>
    /// Writes a PNG with one row per reference grade of <paramref name="target"/> and up to <paramref name="perGrade"/>
    /// crops in each (the central slice), separated by a thin black line.
    /// </summary>
    public static void Write(Cohort cohort, JointCropper cropper, GradingTarget target, string path, int perGrade = 6)
    {
        var n = cropper.Options.OutputPixels;
        var gap = 2;
        var width = perGrade * (n + gap);
        var height = target.GradeCount * (n + gap);
        var canvas = new float[width * height];
        for (var grade = 0; grade < target.GradeCount; grade++)
        {
            var examples = cohort.Joints.Where(j => j.Reference.Of(target) == grade).Take(perGrade).ToList();
            for (var e = 0; e < examples.Count; e++)
            {
                var joint = examples[e];
                var crops = cropper.Crop(cohort.LoadVolume(joint.SeriesUid), joint.RoiMm, joint.Joint.Side);
                var crop = crops[crops.Length / 2];
                for (var r = 0; r < n; r++)
                    crop.AsSpan(r * n, n).CopyTo(canvas.AsSpan((grade * (n + gap) + r) * width + e * (n + gap), n));
            }
        }
        PngWriter.Save(path, canvas, width, height);
    }

    /// <summary>
    /// Writes <c>preview-&lt;target&gt;.png</c> for every target into the cohort folder (studies/ + labels.csv) and
    /// returns the paths; <paramref name="window"/> defaults to the bone window.
    /// </summary>
    public static IReadOnlyList<string> WritePreviews(string cohortDirectory, VoiWindow? window = null)
    {
        var cohort = Cohort.Load(Path.Combine(cohortDirectory, "studies"), Path.Combine(cohortDirectory, "labels.csv"));
        var cropper = new JointCropper(new JointCropOptions { Window = window ?? VoiWindow.Bone });
        var paths = new List<string>();
        foreach (var target in GradingTarget.All)
        {
            var path = Path.Combine(cohortDirectory, $"preview-{target.Name}.png");
            Write(cohort, cropper, target, path);
            paths.Add(path);
        }
        return paths;
    }
}
