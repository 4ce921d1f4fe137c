namespace FacetMlNet.Models.Backbones;

/// <summary>Where the backbone runs.</summary>
public enum ComputeDevice
{
    /// <summary>CPU execution provider.</summary>
    Cpu,
    /// <summary>CUDA execution provider where ONNX Runtime has it; CPU otherwise, with a warning.</summary>
    Cuda,
}

/// <summary>Settings of <see cref="ResNet18Backbone"/>.</summary>
public sealed record BackboneOptions
{
    /// <summary>Folder holding <c>ResNet18Onnx/ResNet18.onnx</c> and <c>ResNetPrepOnnx/ResNetPreprocess.onnx</c>; null finds the copy shipped with the package.</summary>
    public string? ModelDirectory { get; init; }

    /// <summary>CPU or CUDA.</summary>
    public ComputeDevice Device { get; init; } = ComputeDevice.Cpu;

    /// <summary>Threads inside one operator; defaults to the processor count.</summary>
    public int IntraOpThreads { get; init; } = Environment.ProcessorCount;

    /// <summary>Images per ONNX Runtime call.</summary>
    public int BatchSize { get; init; } = 8;
}
