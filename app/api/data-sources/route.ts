import { handler } from "@/lib/api/handler";
import { markAllSitesDue } from "@/lib/fleet/summary/marks";
import { createDataSource, listDataSources } from "@/lib/telemetry/data-sources";

export const GET = handler("GET /api/data-sources", async () => ({ items: await listDataSources() }));

export const POST = handler("POST /api/data-sources", async ({ body, audit }) => {
  audit.detail({ name: body.name, url: body.url });
  const dataSource = await createDataSource(body);
  // Sites without a source of their own may read this one now: the fleet summary re-judges them.
  await markAllSitesDue();
  audit.target(dataSource.id);
  audit.detail({ database: dataSource.database, isDefault: dataSource.isDefault });
  return { dataSource };
});
