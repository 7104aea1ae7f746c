export { publishArticle } from "./publish";
export { unpublishArticle } from "./unpublish";
export { listPublicationHistory } from "./list";
export { exportArticle, type ExportFile } from "./exports";
export { answerPublicPage, publicPageAddress, servePublicPage, PUBLIC_CACHE_CONTROL, type PublicPageAnswer } from "./serve";
export type { PublicationPages, RenderedPage } from "./pages";
export { publicOrigin } from "./origin";
