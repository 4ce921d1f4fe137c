using FacetMlNet.Dicom.Imaging;

namespace FacetMlNet.Dicom.Tests;

/// <summary>
/// 1-bit segmentations (the corpus's liver SEG, 3 frames): compressed with RLE or Deflated Image Frame Compression they
/// must give the same masks as uncompressed, also when frames do not end on a byte (510 × 510). Neither pydicom 2.3
/// nor DCMTK decodes these, so the uncompressed file and the other codec are the references.
/// </summary>
public class BinarySegmentationTests
{
    private static int[][] Frames(string name)
    {
        var pixels = DicomPixelData.Create(DicomFile.Open(Path.Combine(DicomCorpus.Directory!, "files", name)));
        return [.. Enumerable.Range(0, pixels.NumberOfFrames).Select(pixels.GetFrameSamples)];
    }

    [SkippableTheory]
    [InlineData("pydd__liver.dcm", "pydd__liver_deflate.dcm")]
    [InlineData("pydd__liver.dcm", "pydd__liver_rle.dcm")]
    [InlineData("pydd__liver_nonbyte_aligned_rle.dcm", "pydd__liver_nonbyte_aligned_deflate.dcm")]
    public void Compressed_masks_equal_their_reference(string reference, string compressed)
    {
        Skip.If(DicomCorpus.Directory is null, DicomCorpus.SkipReason);
        var expected = Frames(reference);
        var actual = Frames(compressed);
        Assert.Equal(3, actual.Length);
        for (var f = 0; f < expected.Length; f++) Assert.Equal(expected[f], actual[f]);
        Assert.InRange(actual.Sum(frame => frame.Sum()), 1, actual.Sum(frame => frame.Length) - 1); // a mask, not all 0 or 1
    }

    [SkippableFact]
    public void A_one_bit_image_in_jpeg_2000_is_refused_by_name()
    {
        Skip.If(DicomCorpus.Directory is null, DicomCorpus.SkipReason);
        var e = Assert.Throws<DicomCodecException>(() => Frames("pydd__liver_j2k.dcm"));
        Assert.Contains("1-bit", e.Message);
    }
}
