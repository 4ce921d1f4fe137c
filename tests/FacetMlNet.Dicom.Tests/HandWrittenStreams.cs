using FacetMlNet.Dicom.Imaging;

namespace FacetMlNet.Dicom.Tests;

/// <summary>Wraps one hand-written compressed frame (8-bit grey) in a data set, for the codec tests.</summary>
internal static class HandWrittenStreams
{
    public static DicomPixelData Pixels(byte[] stream, int width, int height, DicomTransferSyntax syntax, string name)
    {
        var ds = DicomRoundTripTests.CtSlice(height, width)
            .AddOrUpdate(DicomTag.BitsAllocated, DicomVR.US, 8).AddOrUpdate(DicomTag.BitsStored, DicomVR.US, 8)
            .AddOrUpdate(DicomTag.HighBit, DicomVR.US, 7).AddOrUpdate(DicomTag.PixelRepresentation, DicomVR.US, 0)
            .AddOrUpdate(new DicomFragmentSequence(DicomTag.PixelData, DicomVR.OB, [], [stream]));
        var meta = new DicomDataset().AddOrUpdate(DicomTag.TransferSyntaxUID, DicomVR.UI, syntax.UID);
        return DicomPixelData.Create(new DicomFile(ds, meta, name));
    }
}
