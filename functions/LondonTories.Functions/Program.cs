using LondonTories.Functions;
using LondonTories.Publishing;
using LondonTories.Publishing.Platforms;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
var settings = new AppConfiguration(builder.Configuration);
builder.Services.AddSingleton(settings.SecretStore);
builder.Services.AddSingleton(settings.DeliveryOptions);
builder.Services.AddSingleton(settings.ApprovalPolicy);
builder.Services.AddLondonToriesPublishing(settings.StorageConnection, settings.ConfigureStorage);
builder.Services.AddLondonToriesPlatforms();
builder.Build().Run();
