using FacetMlNet.Bench;

// dotnet run --project bench/FacetMlNet.Bench -c Release -- dicom [--rounds N] [--corpus DIR]
// dotnet run --project bench/FacetMlNet.Bench -c Release -- fuzz [--seconds N] [--corpus DIR]
// dotnet run --project bench/FacetMlNet.Bench -c Release -- backbone [--images N]
var verb = args.FirstOrDefault() ?? "help";
string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
var corpus = Option("--corpus") ?? Environment.GetEnvironmentVariable("FACETML_DICOM_CORPUS") ?? Path.GetFullPath(Path.Combine("..", "shared", "dicom-corpus"));
return verb switch
{
    "dicom" => DicomDecodeBenchmark.Run(corpus, int.Parse(Option("--rounds") ?? "20")),
    "fuzz" => DicomFuzzBenchmark.Run(corpus, int.Parse(Option("--seconds") ?? "120")),
    "backbone" => BackboneBenchmark.Run(int.Parse(Option("--images") ?? "64")),
    _ => Usage(),
};

static int Usage()
{
    Console.WriteLine("usage: FacetMlNet.Bench dicom [--rounds N] [--corpus DIR] | fuzz [--seconds N] [--corpus DIR] | backbone [--images N]");
    return 2;
}
