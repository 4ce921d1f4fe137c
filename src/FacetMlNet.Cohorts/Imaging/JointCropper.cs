using System.Numerics;
using FacetMlNet.Dicom.Imaging;
using FacetMlNet.Dicom.Series;
using FacetMlNet.Domain;

namespace FacetMlNet.Cohorts.Imaging;

/// <summary>Settings of <see cref="JointCropper"/>.</summary>
public sealed record JointCropOptions
{
    /// <summary>Side of the square crop, mm of patient space.</summary>
    public double SizeMm { get; init; } = 40;

    /// <summary>Pixels per side of the output: the backbone's input, 224.</summary>
    public int OutputPixels { get; init; } = 224;

    /// <summary>The VOI window applied (bone by default).</summary>
    public VoiWindow Window { get; init; } = VoiWindow.Bone;

    /// <summary>Slices per joint (2.5D): the nearest slice plus (n − 1)/2 neighbours on each side. Odd.</summary>
    public int Slices { get; init; } = 1;

    /// <summary>Mirror left joints so that lateral points the same way for both sides.</summary>
    public bool MirrorLeft { get; init; } = true;

    /// <summary>A short text that identifies these settings, for cache keys and run records.</summary>
    public string Fingerprint => $"crop:{SizeMm}mm/{OutputPixels}px/W{Window.Width}L{Window.Center}/s{Slices}/m{(MirrorLeft ? 1 : 0)}";

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A value out of range.</exception>
    public void Validate()
    {
        if (SizeMm <= 0) throw new ArgumentException($"Crop size must be positive (got {SizeMm} mm).");
        if (OutputPixels < 8) throw new ArgumentException($"Output must be at least 8 pixels (got {OutputPixels}).");
        if (Slices < 1 || Slices % 2 == 0) throw new ArgumentException($"Slices per joint must be odd and positive (got {Slices}).");
    }
}

/// <summary>
/// Crops a facet joint from a volume: a square of fixed physical size centred on the ROI, resampled to the
/// backbone's input, windowed to 0–1; left joints mirrored so both sides look alike.
/// </summary>
public sealed class JointCropper(JointCropOptions options)
{
    /// <summary>The settings.</summary>
    public JointCropOptions Options { get; } = options;

    /// <summary>
    /// The crops of one joint, one per slice (nearest slice first in z order), each <c>OutputPixels²</c> values in 0–1,
    /// row-major, rows running anterior to posterior as in the source image.
    /// </summary>
    public float[][] Crop(DicomVolume volume, Vector3 roiMm, Side side)
    {
        Options.Validate();
        var n = Options.OutputPixels;
        var step = Options.SizeMm / n;
        var centre = volume.PatientToVoxel(roiMm);
        var nearest = (int)Math.Round(centre.Z);
        var half = Options.Slices / 2;
        var crops = new float[Options.Slices][];
        var mirror = Options.MirrorLeft && side == Side.Left;
        var outside = -1000f; // air beyond the image edge
        for (var k = -half; k <= half; k++)
        {
            var slice = Math.Clamp(nearest + k, 0, volume.Depth - 1);
            var crop = new float[n * n];
            for (var r = 0; r < n; r++)
            {
                var dy = (r + 0.5 - n / 2.0) * step;
                for (var c = 0; c < n; c++)
                {
                    var dx = (c + 0.5 - n / 2.0) * step;
                    if (mirror) dx = -dx;
                    var column = centre.X + dx / volume.ColumnSpacing;
                    var row = centre.Y + dy / volume.RowSpacing;
                    crop[r * n + c] = PixelFunctions.WindowValue(volume.Sample(slice, column, row, outside), Options.Window);
                }
            }
            crops[k + half] = crop;
        }
        return crops;
    }
}
