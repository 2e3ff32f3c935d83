import middy from '@middy/core';
import type { Deps } from '../app/deps';
import { PDF_TYPE, prepareExport, requireExportSize, XLSX_TYPE, type ExportFile } from '../app/report-export';
import { reportPdf } from '../pages/report-pdf';
import { cjkFontPath } from '../pages/report-font';
import { reportWorkbook } from '../pages/report-xlsx';
import { lambdaEntry } from '../runtime/lambda-entry';
import { dynamodb } from '../runtime/dynamodb';
import { auditItems, caseItems, commitmentItems, metricItems, orgUnitItems, reportItems, responseItems, surveyItems, userItems } from '../runtime/store-modules';
import type { HttpEvent, HttpResult } from './middleware';
import { adminRoute } from './admin-route';
import { callerOf } from './caller';

const fileHeaders = (file: Pick<ExportFile, 'filename' | 'contentType'>) => ({
  'content-type': file.contentType,
  'content-disposition': `attachment; filename="${file.filename}"`,
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
});

/**
 * GET /admin/reports/{surveyId}/export: a report as a file (../app/report-export.ts says what is
 * in each). A function of its own, so that the workbook writer (ExcelJS, about 1 MB) is loaded
 * by exports only and the report reads stay lean.
 */
export const createReportExportsHandler = (deps: Deps) =>
  middy<HttpEvent, HttpResult>()
    .use(adminRoute(deps))
    .handler(async (event) => {
      const prepared = await prepareExport(deps, event.pathParameters?.surveyId ?? '', event.queryStringParameters, callerOf(event).access);
      if (prepared.format === 'csv') return { statusCode: 200, headers: fileHeaders(prepared.file), body: prepared.file.body };
      const [bytes, report, contentType] =
        prepared.format === 'pdf'
          ? [await reportPdf(prepared.page, prepared.lang, { layout: prepared.layout, fontPath: cjkFontPath() }), prepared.page.report, PDF_TYPE]
          : [await reportWorkbook(prepared.report, prepared.questionnaire, prepared.league, prepared.lang), prepared.report, XLSX_TYPE];
      requireExportSize(bytes.byteLength, true, report);
      return { statusCode: 200, headers: fileHeaders({ filename: prepared.filename, contentType }), body: Buffer.from(bytes).toString('base64'), isBase64Encoded: true };
    });

export const handler = lambdaEntry(createReportExportsHandler, dynamodb(auditItems, caseItems, commitmentItems, metricItems, orgUnitItems, reportItems, responseItems, surveyItems, userItems));
