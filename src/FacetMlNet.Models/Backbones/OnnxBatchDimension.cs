using Google.Protobuf;

namespace FacetMlNet.Models.Backbones;

/// <summary>
/// Rewrites the first dimension of an ONNX model's graph inputs and outputs from a fixed 1 to a symbolic batch
/// dimension, so ONNX Runtime accepts batches. Works on the protobuf wire format directly (every other byte of the
/// model is copied unchanged), so no generated ONNX classes are needed.
/// </summary>
public static class OnnxBatchDimension
{
    // Field numbers of onnx.proto: ModelProto.graph, GraphProto.input/output, ValueInfoProto.type,
    // TypeProto.tensor_type, TypeProto.Tensor.shape, TensorShapeProto.dim, Dimension.dim_param.
    private const int ModelGraph = 7, GraphInput = 11, GraphOutput = 12, GraphValueInfo = 13, ValueInfoType = 2, TypeTensor = 1, TensorShape = 2, ShapeDim = 1, DimParam = 2;

    /// <summary>
    /// The model with dim 0 of every graph input, output and recorded intermediate shape named <paramref name="name"/>
    /// (in this network every activation's dim 0 is the batch).
    /// </summary>
    public static byte[] MakeSymbolic(byte[] model, string name = "batch") =>
        Rewrite(model, ModelGraph, graph =>
            Rewrite(graph, [GraphInput, GraphOutput, GraphValueInfo], valueInfo =>
                Rewrite(valueInfo, ValueInfoType, type =>
                    Rewrite(type, TypeTensor, tensor =>
                        Rewrite(tensor, TensorShape, shape => ReplaceFirstDim(shape, name))))));

    private static byte[] Rewrite(byte[] message, int field, Func<byte[], byte[]> transform) => Rewrite(message, [field], transform);

    /// <summary>Copies a message, passing the payload of each length-delimited field in <paramref name="fields"/> through <paramref name="transform"/>.</summary>
    private static byte[] Rewrite(byte[] message, int[] fields, Func<byte[], byte[]> transform)
    {
        var input = new CodedInputStream(message);
        using var buffer = new MemoryStream(message.Length + 64);
        uint tag;
        var start = input.Position;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited && fields.Contains(WireFormat.GetTagFieldNumber(tag)))
            {
                var payload = transform(input.ReadBytes().ToByteArray());
                WriteVarint(buffer, tag);
                WriteVarint(buffer, (ulong)payload.Length);
                buffer.Write(payload);
            }
            else
            {
                input.SkipLastField();
                buffer.Write(message, (int)start, (int)(input.Position - start));
            }
            start = input.Position;
        }
        return buffer.ToArray();
    }

    private static void WriteVarint(Stream s, ulong value)
    {
        while (value >= 0x80)
        {
            s.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        s.WriteByte((byte)value);
    }

    private static byte[] ReplaceFirstDim(byte[] shape, string name)
    {
        var first = true;
        return Rewrite(shape, ShapeDim, dim =>
        {
            if (!first) return dim;
            first = false;
            using var buffer = new MemoryStream();
            var text = System.Text.Encoding.UTF8.GetBytes(name);
            WriteVarint(buffer, WireFormat.MakeTag(DimParam, WireFormat.WireType.LengthDelimited));
            WriteVarint(buffer, (ulong)text.Length);
            buffer.Write(text);
            return buffer.ToArray();
        });
    }
}
