using FacetMlNet.Dicom.Imaging;

namespace FacetMlNet.Dicom.Tests;

/// <summary>Wraps one compressed frame (hand-written or from an encoder) in a data set, for the codec tests.</summary>
internal static class HandWrittenStreams
{
    public static DicomPixelData Pixels(byte[] stream, int width, int height, DicomTransferSyntax syntax, string name,
        int bitsStored = 8, int samplesPerPixel = 1)
    {
        var bitsAllocated = bitsStored > 8 ? 16 : 8;
        var ds = DicomRoundTripTests.CtSlice(height, width)
            .AddOrUpdate(DicomTag.BitsAllocated, DicomVR.US, bitsAllocated).AddOrUpdate(DicomTag.BitsStored, DicomVR.US, bitsStored)
            .AddOrUpdate(DicomTag.HighBit, DicomVR.US, bitsStored - 1).AddOrUpdate(DicomTag.PixelRepresentation, DicomVR.US, 0)
            .AddOrUpdate(DicomTag.SamplesPerPixel, DicomVR.US, samplesPerPixel)
            .AddOrUpdate(DicomTag.PhotometricInterpretation, DicomVR.CS, samplesPerPixel == 3 ? "RGB" : "MONOCHROME2")
            .AddOrUpdate(new DicomFragmentSequence(DicomTag.PixelData, DicomVR.OB, [], [stream]));
        var meta = new DicomDataset().AddOrUpdate(DicomTag.TransferSyntaxUID, DicomVR.UI, syntax.UID);
        return DicomPixelData.Create(new DicomFile(ds, meta, name));
    }
}
