using System.Numerics;
using FacetMlNet.Cohorts.Imaging;
using FacetMlNet.Dicom.Imaging;
using FacetMlNet.Domain;

namespace FacetMlNet.Cohorts.Tests;

public class JointCropperTests(SmallCohortFixture fixture) : IClassFixture<SmallCohortFixture>
{
    [Fact]
    public void Roi_centre_falls_in_the_joint_space_of_a_normal_joint()
    {
        // A grade-0 joint space is 2–3.6 mm of fluid (≈ 12 HU) between cortical surfaces (≥ 1000 HU).
        var normal = fixture.Cohort.Joints.Where(j => j.Truth!.Of(GradingTarget.Findings[0]) == 0).Take(8).ToList();
        Assert.NotEmpty(normal);
        foreach (var joint in normal)
        {
            var volume = fixture.Cohort.LoadVolume(joint.SeriesUid);
            var voxel = volume.PatientToVoxel(joint.RoiMm);
            var hu = volume.Sample((int)Math.Round(voxel.Z), voxel.X, voxel.Y, float.NaN);
            Assert.InRange(hu, -300, 300);
        }
    }

    [Fact]
    public void Crop_is_the_physical_size_asked_whatever_the_pixel_spacing()
    {
        // A synthetic volume with a bright 10 mm square at the ROI: the crop of 40 mm must show it as a quarter of its width.
        foreach (var spacing in new[] { 0.3, 0.5, 0.8 })
        {
            var n = 200;
            var plane = new float[n * n];
            var centre = new Vector3(10, -5, 0);
            for (var r = 0; r < n; r++)
                for (var c = 0; c < n; c++)
                {
                    var x = -30 + c * spacing;
                    var y = -30 + r * spacing;
                    plane[r * n + c] = Math.Abs(x - centre.X) < 5 && Math.Abs(y - centre.Y) < 5 ? 2000 : -1000;
                }
            var volume = new Dicom.Series.DicomVolume([plane], n, n, [new Vector3(-30, -30, 0)], Vector3.UnitX, Vector3.UnitY, spacing, spacing, 1);
            var crop = new JointCropper(new JointCropOptions { SizeMm = 40, OutputPixels = 200 }).Crop(volume, centre, Side.Right)[0];
            var brightColumns = Enumerable.Range(0, 200).Count(c => crop[100 * 200 + c] > 0.5f);
            Assert.InRange(brightColumns, 48, 52); // 10 mm of 40 mm = 50 px of 200
            Assert.True(crop[100 * 200 + 100] > 0.99f, "the ROI centre must be the crop centre");
        }
    }

    [Fact]
    public void Left_joints_are_mirrored_so_lateral_points_the_same_way()
    {
        // A phantom symmetric about x = 0 with a marker lateral to each joint: mirrored left crop equals right crop.
        var n = 240;
        var spacing = 0.5;
        var plane = new float[n * n];
        // Pixel centres at -60 + k·0.5 are symmetric about 0 only when offset by half a pixel.
        var volume = new Dicom.Series.DicomVolume([plane], n, n, [new Vector3(-59.75f, -60, 0)], Vector3.UnitX, Vector3.UnitY, spacing, spacing, 1);
        for (var r = 0; r < n; r++)
            for (var c = 0; c < n; c++)
            {
                var x = -59.75 + c * spacing;
                var y = -60 + r * spacing;
                var lateral = Math.Abs(x) - 20;
                plane[r * n + c] = lateral > 2 && lateral < 6 && Math.Abs(y - 3) < 8 ? 1500 : Math.Abs(lateral) < 1 ? 10 : 200;
            }
        var cropper = new JointCropper(new JointCropOptions { SizeMm = 30, OutputPixels = 96, Window = VoiWindow.Bone });
        var left = cropper.Crop(volume, new Vector3(20, 0, 0), Side.Left)[0];
        var right = cropper.Crop(volume, new Vector3(-20, 0, 0), Side.Right)[0];
        for (var i = 0; i < left.Length; i++) Assert.Equal(right[i], left[i], 3);
        var unmirrored = new JointCropper(cropper.Options with { MirrorLeft = false }).Crop(volume, new Vector3(20, 0, 0), Side.Left)[0];
        // The marker lies lateral: image left for a right joint (x decreasing), so column 35 of 96.
        Assert.True(right[48 * 96 + 35] > 0.9f && unmirrored[48 * 96 + 35] < 0.5f);
    }

    [Fact]
    public void Two_and_a_half_d_gives_neighbouring_slices()
    {
        var joint = fixture.Cohort.Joints.First();
        var volume = fixture.Cohort.LoadVolume(joint.SeriesUid);
        var crops = new JointCropper(new JointCropOptions { Slices = 3, OutputPixels = 64 }).Crop(volume, joint.RoiMm, joint.Joint.Side);
        Assert.Equal(3, crops.Length);
        Assert.NotEqual(crops[0], crops[1]);
        Assert.Throws<ArgumentException>(() => new JointCropper(new JointCropOptions { Slices = 2 }).Crop(volume, joint.RoiMm, joint.Joint.Side));
    }
}
