using System.CommandLine;
using FacetMlNet.Cli.Commands;

var root = new RootCommand("facetml: train, compare and ship multitask models that grade lumbar facet-joint degeneration from DICOM.");
root.Subcommands.Add(StudyCommand.Create());
root.Subcommands.Add(SynthCommand.Create());
return root.Parse(args).Invoke();
