using LondonTories.Functions;
using LondonTories.Publishing.Platforms;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddLondonToriesApp(new AppConfiguration(builder.Configuration));
builder.Services.AddLondonToriesPlatforms();
builder.Build().Run();
