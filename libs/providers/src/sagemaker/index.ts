export { SagemakerAdapter } from './sagemaker-adapter';
export { SagemakerChatAdapter } from './sagemaker-chat-adapter';
