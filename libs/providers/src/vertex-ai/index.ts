export { VertexAiAdapter } from './vertex-ai-adapter';
